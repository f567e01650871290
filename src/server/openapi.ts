import { OUTPUT_LABEL_SETS } from '../parsing/labelsets.js';

export const POSE_FORMATS = ['body25', 'coco18', 'coco17'] as const;

/** The OpenAPI 3.1 description served at /openapi.json. */
export function openApiDocument(version: string, limits: { maxUploadBytes: number; maxPixels: number }) {
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const errors = {
    '400': errorResponse(
      'Client mistake: no `image` field (MISSING_FIELD), an empty file (EMPTY_FILE), a bad query (BAD_QUERY) or a malformed multipart body (BAD_MULTIPART).',
    ),
    '413': errorResponse(
      `Upload over ${limits.maxUploadBytes} bytes (UPLOAD_TOO_LARGE) or photo over ${limits.maxPixels} pixels (IMAGE_TOO_LARGE).`,
    ),
    '415': errorResponse(
      'Not multipart/form-data nor an image body (WRONG_CONTENT_TYPE), or the bytes are not a JPEG/PNG/WebP/GIF/TIFF/AVIF image (NOT_AN_IMAGE, UNSUPPORTED_FORMAT). The content decides, never the file name.',
    ),
    '422': errorResponse(
      'Looks like an image but cannot be decoded: corrupt or truncated (UNREADABLE_IMAGE).',
    ),
    '503': {
      ...errorResponse(
        "The queue is full (BUSY) or the server is shutting down (SHUTTING_DOWN); retry after the Retry-After header's seconds.",
      ),
      headers: {
        'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before retrying.' },
      },
    },
    '504': errorResponse("No answer within the server's job timeout (TIMEOUT)."),
    '500': errorResponse('The server failed (INTERNAL); the message is generic.'),
  };
  const upload = {
    required: true,
    description: `The photo: multipart/form-data with the file in the field \`image\`, or the raw image bytes with an image/* or application/octet-stream content type. At most ${limits.maxUploadBytes} bytes and ${limits.maxPixels} pixels.`,
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['image'],
          properties: { image: { type: 'string', format: 'binary' } },
        },
      },
      'image/*': { schema: { type: 'string', format: 'binary' } },
      'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    },
  };
  const formatParam = {
    name: 'format',
    in: 'query',
    description: 'Keypoint layout of the OpenPose JSON (and the skeleton drawn).',
    schema: { type: 'string', enum: POSE_FORMATS, default: 'body25' },
  };
  const labelsParam = {
    name: 'labels',
    in: 'query',
    description: 'Label set of the S-map (cihp: 20 classes, 10 = neck, what VITON-HD reads).',
    schema: { type: 'string', enum: OUTPUT_LABEL_SETS, default: 'cihp' },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'parsepose',
      version,
      description:
        'Human parsing (S-maps) and multi-person pose (OpenPose-compatible P-maps) of one photo per request, on the CPU. Inference runs in a pool of worker threads behind a bounded queue.',
    },
    paths: {
      '/healthz': {
        get: {
          summary: 'Liveness and queue state',
          responses: {
            '200': {
              description: 'Up',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
          },
        },
      },
      '/v1/pose': {
        post: {
          summary: 'P-map keypoints: OpenPose JSON (version 1.3) of every person',
          parameters: [formatParam],
          requestBody: upload,
          responses: {
            '200': {
              description:
                'OpenPose JSON: {"version":1.3,"people":[{"pose_keypoints_2d":[x,y,c,...]}]} in source pixels',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            ...errors,
          },
        },
      },
      '/v1/parse': {
        post: {
          summary: "S-map: 8-bit palette PNG of the photo's size, pixel value = class id",
          parameters: [labelsParam],
          requestBody: upload,
          responses: {
            '200': {
              description:
                'Palette PNG. Headers X-Label-Set and X-Labels-Present (comma-separated class ids).',
              content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errors,
          },
        },
      },
      '/v1/run': {
        post: {
          summary:
            'Both maps in one pass: keypoints, labels present, and base64 PNGs of the S-map, P-map and overlays',
          parameters: [formatParam, labelsParam],
          requestBody: upload,
          responses: {
            '200': {
              description: 'Everything about the photo',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/RunResult' } } },
            },
            ...errors,
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'code'],
          properties: { error: { type: 'string' }, code: { type: 'string' } },
        },
        Health: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['ok', 'loading'] },
            version: { type: 'string' },
            workers: { type: 'integer' },
            active: { type: 'integer', description: 'Requests admitted and not finished' },
            capacity: { type: 'integer', description: 'Requests admitted at most; more get 503' },
            served: { type: 'integer' },
            rejected: { type: 'integer' },
            meanServiceMs: { type: 'integer' },
          },
        },
        Label: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            color: { type: 'array', items: { type: 'integer' }, minItems: 3, maxItems: 3 },
          },
        },
        RunResult: {
          type: 'object',
          properties: {
            width: { type: 'integer' },
            height: { type: 'integer' },
            people: { type: 'integer', description: 'People found' },
            format: { type: 'string', enum: POSE_FORMATS },
            labelSet: { type: 'string', enum: OUTPUT_LABEL_SETS },
            openpose: { type: 'object', description: 'The OpenPose JSON document /v1/pose returns' },
            labelsPresent: { type: 'array', items: { $ref: '#/components/schemas/Label' } },
            legend: {
              type: 'array',
              items: { $ref: '#/components/schemas/Label' },
              description: 'Every class of the set',
            },
            timings: {
              type: 'object',
              description:
                'Milliseconds: decode, pose, parse, encode (in the worker), total (queue + worker)',
              additionalProperties: { type: 'number' },
            },
            images: {
              type: 'object',
              description: 'data:image/png;base64 URLs',
              properties: {
                smap: { type: 'string', description: 'S-map palette PNG (pixel = class id)' },
                smapOverlay: { type: 'string', description: 'S-map over the photo, with a legend panel' },
                pmap: { type: 'string', description: 'P-map: the skeleton on black (openpose_img)' },
                pmapOverlay: { type: 'string', description: 'The skeleton over the photo' },
              },
            },
          },
        },
      },
    },
  };
}
