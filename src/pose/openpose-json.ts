import type { Keypoint, Person, PoseFormat } from '../types.js';
import { fromBody25, toBody25 } from './skeletons.js';

/**
 * OpenPose JSON (SPEC §3): `{"version":1.3,"people":[...]}`, each person's keys in OpenPose's order,
 * flat x,y,c triples in source pixels, 0,0,0 for an undetected point and [] for a part not estimated.
 */
export interface OpenPosePerson {
  person_id: number[];
  pose_keypoints_2d: number[];
  face_keypoints_2d: number[];
  hand_left_keypoints_2d: number[];
  hand_right_keypoints_2d: number[];
  pose_keypoints_3d: number[];
  face_keypoints_3d: number[];
  hand_left_keypoints_3d: number[];
  hand_right_keypoints_3d: number[];
}

export interface OpenPoseDocument {
  version: number;
  people: OpenPosePerson[];
  canvas_width?: number;
  canvas_height?: number;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Flattens keypoints to x,y,c triples; a missing point (score <= 0) is written 0,0,0. */
export function flattenKeypoints(kps: readonly Keypoint[] | undefined): number[] {
  if (!kps) return [];
  const out: number[] = [];
  for (const k of kps) {
    if (!(k.score > 0) || !Number.isFinite(k.x) || !Number.isFinite(k.y)) out.push(0, 0, 0);
    else out.push(round(k.x, 3), round(k.y, 3), round(Math.min(1, k.score), 6));
  }
  return out;
}

export interface OpenPoseJsonOptions {
  format?: PoseFormat;
  /** Adds canvas_width/canvas_height at the top level (ControlNet tools read them). */
  canvas?: { width: number; height: number };
}

export function toOpenPoseDocument(
  people: readonly Person[],
  options: OpenPoseJsonOptions = {},
): OpenPoseDocument {
  const format = options.format ?? 'body25';
  const doc: OpenPoseDocument = {
    version: 1.3,
    people: people.map((p) => ({
      person_id: [-1],
      pose_keypoints_2d: flattenKeypoints(fromBody25(format, p.keypoints)),
      face_keypoints_2d: flattenKeypoints(p.face),
      hand_left_keypoints_2d: flattenKeypoints(p.handLeft),
      hand_right_keypoints_2d: flattenKeypoints(p.handRight),
      pose_keypoints_3d: [],
      face_keypoints_3d: [],
      hand_left_keypoints_3d: [],
      hand_right_keypoints_3d: [],
    })),
  };
  if (options.canvas) {
    doc.canvas_width = options.canvas.width;
    doc.canvas_height = options.canvas.height;
  }
  return doc;
}

/** Serialises people as OpenPose JSON text (version as the bare number 1.3). */
export function writeOpenPoseJson(people: readonly Person[], options: OpenPoseJsonOptions = {}): string {
  return JSON.stringify(toOpenPoseDocument(people, options));
}

function unflatten(arr: unknown): Keypoint[] {
  if (!Array.isArray(arr)) return [];
  const out: Keypoint[] = [];
  for (let i = 0; i + 2 < arr.length; i += 3) {
    const [x, y, c] = [Number(arr[i]), Number(arr[i + 1]), Number(arr[i + 2])];
    out.push(x === 0 && y === 0 ? { x: 0, y: 0, score: 0 } : { x, y, score: c });
  }
  return out;
}

function boxOf(kps: readonly Keypoint[]): Person['box'] {
  const pts = kps.filter((k) => k.score > 0);
  if (!pts.length) return { x: 0, y: 0, width: 0, height: 0 };
  const xs = pts.map((k) => k.x);
  const ys = pts.map((k) => k.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export interface ReadPoseResult {
  people: Person[];
  /** The skeleton the file held, detected from its keypoint count. */
  format: 'body25' | 'coco18' | 'coco17';
}

/**
 * Reads OpenPose 1.x JSON (`pose_keypoints_2d`, or 1.0's `pose_keypoints`) and Dress Code's
 * `{"keypoints": [[x, y, score, id], ...]}`; returns BODY_25 people. `scale` multiplies coordinates
 * (Dress Code keypoints are in a 384x512 frame: scale 2 for the 768x1024 photos).
 */
export function readOpenPoseJson(text: string, options: { scale?: number } = {}): ReadPoseResult {
  const scale = options.scale ?? 1;
  const doc = JSON.parse(text) as Record<string, unknown>;
  let raw: Keypoint[][] = [];
  let faces: Keypoint[][] = [];
  let hands: Array<[Keypoint[], Keypoint[]]> = [];
  if (Array.isArray(doc.people)) {
    const people = doc.people as Array<Record<string, unknown>>;
    raw = people.map((p) => unflatten(p.pose_keypoints_2d ?? p.pose_keypoints));
    faces = people.map((p) => unflatten(p.face_keypoints_2d ?? p.face_keypoints));
    hands = people.map((p) => [
      unflatten(p.hand_left_keypoints_2d ?? p.hand_left_keypoints),
      unflatten(p.hand_right_keypoints_2d ?? p.hand_right_keypoints),
    ]);
  } else if (Array.isArray(doc.keypoints)) {
    const pts = (doc.keypoints as unknown[][]).map((k) => {
      const [x, y, c] = [Number(k[0]), Number(k[1]), Number(k[2])];
      return x === 0 && y === 0 ? [0, 0, 0] : [x, y, c];
    });
    raw = [unflatten(pts.flat())];
  } else throw new Error('not OpenPose JSON: no "people" or "keypoints" array');
  const n = raw.find((r) => r.length > 0)?.length ?? 25;
  const format = n === 25 ? 'body25' : n === 18 ? 'coco18' : n === 17 ? 'coco17' : undefined;
  if (!format) throw new Error(`unexpected keypoint count ${n} (expected 25, 18 or 17)`);
  const scaled = (kps: Keypoint[]): Keypoint[] =>
    kps.map((k) => (k.score > 0 || k.x || k.y ? { x: k.x * scale, y: k.y * scale, score: k.score } : k));
  const people = raw.map((kps, i): Person => {
    const body = toBody25(format, scaled(kps));
    const valid = body.filter((k) => k.score > 0);
    const person: Person = {
      keypoints: body,
      score: valid.length ? valid.reduce((s, k) => s + k.score, 0) / valid.length : 0,
      box: boxOf(body),
    };
    if (faces[i]?.length) person.face = scaled(faces[i]);
    if (hands[i]?.[0].length) person.handLeft = scaled(hands[i][0]);
    if (hands[i]?.[1].length) person.handRight = scaled(hands[i][1]);
    return person;
  });
  return { people, format };
}
