import { UsageError } from '../errors.js';
import type { Parser } from '../types.js';
import { splitModelSpec } from '../pose/registry.js';

export interface ParserOptions {
  /** Average with the horizontally flipped prediction (learned parsers). */
  flip?: boolean;
  /** Also return class probabilities (ParseResult.probabilities), for `--logits`. */
  probabilities?: boolean;
  /**
   * Default parser: an extra body-part prior, `bodypix[:<model folder or model.json>]` (BodyPix weights
   * are not npm-shipped, so the default parser runs without one).
   */
  prior?: string;
}

type Factory = (path: string | undefined, options: ParserOptions) => Promise<Parser>;

/**
 * Parsers by model id; a spec is `<id>` or `<id>:<path>` (`--parse-model schp-lip:parsing_lip.onnx`).
 * Modules load lazily. Every parser implements the same interface, so callers never change.
 */
const FACTORIES: Record<string, Factory> = {
  default: async (_path, o) => (await import('./default/parser.js')).createDefaultParser(o),
  'schp-lip': async (path, o) => (await import('./schp/parser.js')).createSchpParser('schp-lip', path, o),
  'schp-atr': async (path, o) => (await import('./schp/parser.js')).createSchpParser('schp-atr', path, o),
  'schp-pascal': async (path, o) =>
    (await import('./schp/parser.js')).createSchpParser('schp-pascal', path, o),
  bodypix: async (path, o) => (await import('./bodypix/parser.js')).createBodyPixParser('lip', path, o),
  'bodypix-pascal': async (path, o) =>
    (await import('./bodypix/parser.js')).createBodyPixParser('pascal', path, o),
};

export function registerParser(id: string, factory: Factory): void {
  FACTORIES[id] = factory;
}

export function parserIds(): string[] {
  return Object.keys(FACTORIES);
}

export async function createParser(spec: string, options: ParserOptions = {}): Promise<Parser> {
  // `schp-lip[:<file>],schp-atr[:<file>]`: the two SCHP networks combined into CIHP-20 with a neck.
  if (spec.includes(',')) return (await import('./schp/combined.js')).createCombinedSchpParser(spec, options);
  const { id, path } = splitModelSpec(spec);
  const factory = FACTORIES[id];
  if (!factory) throw new UsageError(`unknown parse model "${id}" (known: ${parserIds().join(', ')})`);
  return factory(path, options);
}
