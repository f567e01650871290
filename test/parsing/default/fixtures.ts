import type { Keypoint } from '../../../src/types.js';

/** A frontal standing person, BODY_25, 100 px torso: the person's right side is on the image left. */
export function frontalPerson(): Keypoint[] {
  const k: Keypoint[] = Array.from({ length: 25 }, () => ({ x: 0, y: 0, score: 0 }));
  const set = (i: number, x: number, y: number): void => {
    k[i] = { x, y, score: 0.9 };
  };
  set(0, 200, 70); // nose
  set(15, 192, 62);
  set(16, 208, 62); // eyes
  set(17, 184, 66);
  set(18, 216, 66); // ears
  set(1, 200, 110); // neck
  set(2, 170, 110);
  set(3, 160, 160);
  set(4, 155, 205); // right arm (image left)
  set(5, 230, 110);
  set(6, 240, 160);
  set(7, 245, 205); // left arm (image right)
  set(8, 200, 210);
  set(9, 185, 210);
  set(10, 183, 280);
  set(11, 182, 350); // right leg
  set(12, 215, 210);
  set(13, 217, 280);
  set(14, 218, 350); // left leg
  set(22, 180, 368);
  set(19, 220, 368); // big toes
  return k;
}
