import type { Net } from '../../runtime/net.js';
import type { Photo } from '../../types.js';
import { cropInput, type SquareCrop } from './blazepose.js';
import type { Ellipse, Point } from './geometry.js';
import { pointBounds } from '../../util/bounds.js';

/**
 * MediaPipe FaceMesh (npm-shipped `facemesh`) on a square crop around the pose's face ellipse: 468
 * landmarks, of which the face oval gives the face's extent far better than eyes, ears and nose alone
 * (a shaded cheek, the jaw line above the neck). Input RGB 0..1 at 192x192; outputs `[1,1404]` mesh
 * (x, y, z in crop pixels) and `[1,1]` face flag.
 */
export const FACEMESH_SIZE = 192;

/** MediaPipe's face-oval landmark indices, clockwise from the top of the forehead. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];
const TOP = 10;
const CHIN = 152;
/** The chin's landmark index. */
export const MESH_CHIN = CHIN;
const RIGHT_CHEEK = 234;
const LEFT_CHEEK = 454;

export interface FaceMeshResult {
  /** 468 landmarks, source pixels */
  points: Point[];
  /** face flag as a probability */
  score: number;
}

/** The crop facemesh expects: the face with a margin of about half its size on each side. */
export function faceCrop(face: Ellipse, margin = 1.7): SquareCrop {
  const side = 2 * Math.max(face.rx, face.ry) * margin;
  return { x: face.cx - side / 2, y: face.cy - side / 2, side };
}

/**
 * The crop for a second FaceMesh pass, from a first pass's landmarks: their box, squared and scaled by
 * `scale` (MediaPipe's tracking crop). A crop from the pose's face guess is looser, and FaceMesh then draws
 * the oval too large (its chin over the neck).
 */
export function meshCrop(points: readonly Point[], scale = 1.5): SquareCrop {
  const b = pointBounds(points) ?? { x0: 0, y0: 0, x1: 0, y1: 0 };
  const side = Math.max(b.x1 - b.x0, b.y1 - b.y0) * scale;
  return { x: (b.x0 + b.x1) / 2 - side / 2, y: (b.y0 + b.y1) / 2 - side / 2, side };
}

/** FaceMesh's outputs: the [1,1404] mesh and the [1,1] face flag. */
const FACEMESH_OUTPUTS = ['Identity_2:0', 'Identity_1:0'];

export async function runFaceMesh(model: Net, photo: Photo, crop: SquareCrop): Promise<FaceMeshResult> {
  const input = cropInput(photo, crop, FACEMESH_SIZE);
  const [mesh, flag] = await model.run(input, [1, FACEMESH_SIZE, FACEMESH_SIZE, 3], FACEMESH_OUTPUTS);
  if (mesh.data.length !== 1404 || flag.data.length !== 1)
    throw new Error('facemesh model outputs are not the expected mesh and face flag');
  const k = crop.side / FACEMESH_SIZE;
  const points: Point[] = [];
  for (let j = 0; j < 468; j++)
    points.push({ x: crop.x + mesh.data[j * 3] * k, y: crop.y + mesh.data[j * 3 + 1] * k });
  const f = flag.data[0];
  // the flag is a logit in some exports and a probability in others
  const score = f >= 0 && f <= 1 ? f : 1 / (1 + Math.exp(-f));
  return { points, score };
}

/**
 * An ellipse over the face oval: its axis from the top of the forehead to the chin, its width between
 * the cheeks (widened a little for the ears, which LIP and CIHP count as face).
 */
export function meshEllipse(points: readonly Point[], earWiden = 1.1): Ellipse {
  const top = points[TOP];
  const chin = points[CHIN];
  const dx = chin.x - top.x;
  const dy = chin.y - top.y;
  const len = Math.hypot(dx, dy) || 1;
  const across = { x: dy / len, y: -dx / len };
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of FACE_OVAL) {
    const p = points[i];
    const u = (p.x - top.x) * across.x + (p.y - top.y) * across.y;
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  }
  const mid = (lo + hi) / 2;
  const cheeks = Math.hypot(
    points[LEFT_CHEEK].x - points[RIGHT_CHEEK].x,
    points[LEFT_CHEEK].y - points[RIGHT_CHEEK].y,
  );
  return {
    cx: (top.x + chin.x) / 2 + across.x * mid,
    cy: (top.y + chin.y) / 2 + across.y * mid,
    rx: (Math.max(hi - lo, cheeks) / 2) * earWiden,
    ry: len / 2,
    angle: Math.atan2(-dx, dy),
  };
}
