import { batchCommand } from '../batch-command.js';

export const command = batchCommand('run');
