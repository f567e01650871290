// parsepose web page: sends one photo to POST /v1/run and shows the S-map (recoloured here, so labels can
// be toggled) and the P-map skeleton over it. Plain browser JavaScript, no dependencies, nothing external.
'use strict';

const $ = (id) => document.getElementById(id);
const ui = {
  drop: $('drop'),
  pick: $('pick'),
  file: $('file'),
  labels: $('labels'),
  format: $('format'),
  status: $('status'),
  result: $('result'),
  stage: $('stage'),
  photo: $('photo'),
  smap: $('smap'),
  pmap: $('pmap'),
  people: $('people'),
  timing: $('timing'),
  opacity: $('opacity'),
  opacityValue: $('opacity-value'),
  showSkeleton: $('show-skeleton'),
  setName: $('set-name'),
  legendList: $('legend-list'),
  allLabels: $('all-labels'),
  noLabels: $('no-labels'),
  dl: { smap: $('dl-smap'), pmap: $('dl-pmap'), json: $('dl-json'), overlay: $('dl-overlay') },
};

/** State of the photo on screen. */
const state = {
  file: null,
  photoUrl: null,
  downloadUrls: [],
  /** Per-pixel class ids decoded from the S-map PNG. */
  labelMap: null,
  width: 0,
  height: 0,
  /** id -> [r, g, b] */
  palette: new Map(),
  enabled: new Set(),
  busy: false,
};

function setStatus(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('error', isError);
}

function base64ToBytes(dataUrl) {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function stemOf(name) {
  const base = (name || 'photo').replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).replace(/[^\w.-]+/g, '_') || 'photo';
}

function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

async function process(file) {
  if (state.busy || !file) return;
  state.busy = true;
  state.file = file;
  ui.pick.disabled = true;
  ui.result.setAttribute('aria-busy', 'true');
  setStatus(`Processing ${file.name || 'photo'}…`);
  const t0 = performance.now();
  try {
    const form = new FormData();
    form.append('image', file, file.name || 'photo');
    const query = new URLSearchParams({ labels: ui.labels.value, format: ui.format.value });
    const res = await fetch(`/v1/run?${query}`, { method: 'POST', body: form });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const why = body && body.error ? `${body.error} (${body.code})` : `HTTP ${res.status}`;
      const retry = res.headers.get('retry-after');
      throw new Error(retry ? `${why}; retry in ${retry} s` : why);
    }
    await show(file, body, performance.now() - t0);
  } catch (err) {
    setStatus(`Could not process the photo: ${err.message}`, true);
  } finally {
    state.busy = false;
    ui.pick.disabled = false;
    ui.result.setAttribute('aria-busy', 'false');
  }
}

async function show(file, r, roundTripMs) {
  // The photo as the browser shows it (EXIF orientation applied, like the server does).
  if (state.photoUrl) URL.revokeObjectURL(state.photoUrl);
  state.photoUrl = URL.createObjectURL(file);
  ui.photo.src = state.photoUrl;
  state.width = r.width;
  state.height = r.height;
  ui.stage.style.aspectRatio = `${r.width} / ${r.height}`;
  ui.stage.style.width = `min(100%, calc(80vh * ${(r.width / r.height).toFixed(4)}))`;
  for (const c of [ui.smap, ui.pmap]) {
    c.width = r.width;
    c.height = r.height;
  }

  state.palette = new Map(r.legend.map((l) => [l.id, l.color]));
  state.labelMap = await decodeLabelMap(r.images.smap, r.width, r.height, r.legend);
  const counts = new Uint32Array(256);
  for (let i = 0; i < state.labelMap.length; i++) counts[state.labelMap[i]]++;
  const present = r.labelsPresent.filter((l) => l.id !== 0);
  state.enabled = new Set(present.map((l) => l.id));
  buildLegend(present, counts, r.width * r.height, r.labelSet);
  drawSmap();
  await drawSkeleton(r.images.pmap);

  const n = r.people;
  ui.people.textContent = `${n} ${n === 1 ? 'person' : 'people'}`;
  const t = r.timings;
  ui.timing.textContent =
    `· ${fmtMs(roundTripMs)} (server ${fmtMs(t.total)}: pose ${fmtMs(t.pose)}, parse ${fmtMs(t.parse)}, ` +
    `decode ${fmtMs(t.decode)}, encode ${fmtMs(t.encode)})`;

  setDownloads(file, r);
  ui.result.hidden = false;
  ui.stage.dataset.ready = 'true';
  setStatus(
    `Done: ${n} ${n === 1 ? 'person' : 'people'}, ${present.length} labels, ${r.width}×${r.height} px.`,
  );
}

/** Palette PNG -> class ids: each pixel's colour is looked up in the set's palette (nearest if off). */
async function decodeLabelMap(dataUrl, w, h, legend) {
  const blob = new Blob([base64ToBytes(dataUrl)], { type: 'image/png' });
  const bmp = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const px = ctx.getImageData(0, 0, w, h).data;
  const byColour = new Map(legend.map((l) => [(l.color[0] << 16) | (l.color[1] << 8) | l.color[2], l.id]));
  const labels = new Uint8Array(w * h);
  for (let i = 0, p = 0; i < labels.length; i++, p += 4) {
    const key = (px[p] << 16) | (px[p + 1] << 8) | px[p + 2];
    let id = byColour.get(key);
    if (id === undefined) {
      id = nearest(legend, px[p], px[p + 1], px[p + 2]);
      byColour.set(key, id);
    }
    labels[i] = id;
  }
  return labels;
}

function nearest(legend, r, g, b) {
  let best = 0;
  let bestD = Infinity;
  for (const l of legend) {
    const d = (l.color[0] - r) ** 2 + (l.color[1] - g) ** 2 + (l.color[2] - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = l.id;
    }
  }
  return best;
}

function buildLegend(present, counts, total, setName) {
  ui.setName.textContent = `(${setName})`;
  ui.legendList.replaceChildren();
  for (const l of present) {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = String(l.id);
    box.dataset.label = l.name;
    box.addEventListener('change', () => {
      if (box.checked) state.enabled.add(l.id);
      else state.enabled.delete(l.id);
      drawSmap();
    });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = `rgb(${l.color.join(',')})`;
    const name = document.createElement('span');
    name.textContent = `${l.id} ${l.name}`;
    const share = document.createElement('span');
    share.className = 'share';
    share.textContent = `${((100 * counts[l.id]) / total).toFixed(1)}%`;
    label.append(box, swatch, name, share);
    li.append(label);
    ui.legendList.append(li);
  }
  if (!present.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'No body parts found.';
    ui.legendList.append(li);
  }
}

function setAllLabels(on) {
  for (const box of ui.legendList.querySelectorAll('input[type=checkbox]')) {
    box.checked = on;
    const id = Number(box.value);
    if (on) state.enabled.add(id);
    else state.enabled.delete(id);
  }
  drawSmap();
}

/** Paints the enabled classes in their palette colours; the slider sets the layer's opacity. */
function drawSmap() {
  if (!state.labelMap) return;
  const { width: w, height: h, labelMap } = state;
  const ctx = ui.smap.getContext('2d');
  const img = ctx.createImageData(w, h);
  const lut = new Uint32Array(256); // 0 = transparent
  const view = new Uint32Array(img.data.buffer);
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  for (const id of state.enabled) {
    const c = state.palette.get(id);
    if (!c) continue;
    lut[id] = littleEndian
      ? (255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]
      : (c[0] << 24) | (c[1] << 16) | (c[2] << 8) | 255;
  }
  for (let i = 0; i < labelMap.length; i++) view[i] = lut[labelMap[i]];
  ctx.putImageData(img, 0, 0);
  ui.smap.style.opacity = String(ui.opacity.value / 100);
}

/** The P-map render (skeleton on black) with its black made transparent, drawn over the photo. */
async function drawSkeleton(dataUrl) {
  const ctx = ui.pmap.getContext('2d', { willReadFrequently: true });
  ctx.clearRect(0, 0, ui.pmap.width, ui.pmap.height);
  if (!dataUrl) return;
  const bmp = await createImageBitmap(new Blob([base64ToBytes(dataUrl)], { type: 'image/png' }));
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const img = ctx.getImageData(0, 0, ui.pmap.width, ui.pmap.height);
  const d = img.data;
  for (let p = 0; p < d.length; p += 4) {
    if (d[p] + d[p + 1] + d[p + 2] < 24) d[p + 3] = 0;
  }
  ctx.putImageData(img, 0, 0);
  ui.pmap.hidden = !ui.showSkeleton.checked;
}

function setDownloads(file, r) {
  for (const u of state.downloadUrls) URL.revokeObjectURL(u);
  state.downloadUrls = [];
  const stem = stemOf(file.name);
  const link = (a, blob, name) => {
    const url = URL.createObjectURL(blob);
    state.downloadUrls.push(url);
    a.href = url;
    a.download = name;
  };
  // Names follow the VITON-HD layout: image-parse-v3/{stem}.png, openpose_img/{stem}_rendered.png, ...
  link(ui.dl.smap, new Blob([base64ToBytes(r.images.smap)], { type: 'image/png' }), `${stem}.png`);
  link(ui.dl.pmap, new Blob([base64ToBytes(r.images.pmap)], { type: 'image/png' }), `${stem}_rendered.png`);
  link(
    ui.dl.json,
    new Blob([JSON.stringify(r.openpose)], { type: 'application/json' }),
    `${stem}_keypoints.json`,
  );
  link(
    ui.dl.overlay,
    new Blob([base64ToBytes(r.images.smapOverlay)], { type: 'image/png' }),
    `${stem}_parse_vis.png`,
  );
}

function firstImage(items) {
  for (const f of items || []) if (f && f.type && f.type.startsWith('image/')) return f;
  return items && items[0];
}

ui.pick.addEventListener('click', () => ui.file.click());
ui.file.addEventListener('change', () => {
  const f = ui.file.files && ui.file.files[0];
  ui.file.value = '';
  if (f) process(f);
});
for (const ev of ['dragenter', 'dragover']) {
  ui.drop.addEventListener(ev, (e) => {
    e.preventDefault();
    ui.drop.classList.add('over');
  });
}
for (const ev of ['dragleave', 'drop']) ui.drop.addEventListener(ev, () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  const f = firstImage(e.dataTransfer && e.dataTransfer.files);
  if (f) process(f);
});
// A photo dropped anywhere else must not make the browser navigate away.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());
document.addEventListener('paste', (e) => {
  const items = [...((e.clipboardData && e.clipboardData.files) || [])];
  const f = firstImage(items);
  if (f) process(f);
});
ui.opacity.addEventListener('input', () => {
  ui.opacityValue.value = `${ui.opacity.value}%`;
  ui.smap.style.opacity = String(ui.opacity.value / 100);
});
ui.showSkeleton.addEventListener('change', () => (ui.pmap.hidden = !ui.showSkeleton.checked));
ui.allLabels.addEventListener('click', () => setAllLabels(true));
ui.noLabels.addEventListener('click', () => setAllLabels(false));
for (const sel of [ui.labels, ui.format]) {
  sel.addEventListener('change', () => {
    if (state.file) process(state.file);
  });
}
