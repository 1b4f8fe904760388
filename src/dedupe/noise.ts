/**
 * How much of a text's shingles character noise (OCR errors, typos, garbled feeds) has likely
 * broken. Input: normalized text (see normalize.ts) and the options. Output: the expected share
 * of the text's shingles still intact, in 1/255ths (255: a clean text). Pure, no errors.
 *
 * Noise shows as letter pairs English (almost) never has: a random letter next to English ones
 * makes "qx", "vj", "bz"… The share of such pairs among a text's letter pairs (space counted
 * as a letter, so "x" at a word start counts too) is ~0.4% in clean news and rises by about a
 * third of the character error rate (~2% at 5% noise, ~4% at 10%). Above `noiseFloor` that
 * share lowers the survival as exp(-noiseSlope × excess); a text whose share reaches
 * `noiseCeiling` is not English-like at all (another language, a table, random test words): no
 * noise is assumed for it, the rule then stays the clean one. Decisions scale the threshold
 * by the survival of both texts (similarity.ts), since both texts' noise breaks shared shingles.
 */
import type { DedupeOptions } from './options.js';

/**
 * Letter pairs (a–z, `_` for a word boundary) with a frequency under 1e-5 among ~1M letter
 * pairs of English prose (the READMEs of this project's npm dependencies, code removed).
 */
const RARE_PAIRS =
  '_x aa ae ao bf bg bh bk bn bq bv bw bx bz cb cd cf cg cj cm cn cp cv cw cx cz dk dn dq dx dz fb fc fd fg fh fj fk fm ' +
  'fn fp fq fv fw fx fz gb gc gd gj gk gq gv gw gx hb hc hd hf hg hh hj hk hq hv hw hx hz ih ii ij iw iy jb jc jd jf jg jh ' +
  'jj jk jl jm jn jp jq jr jt jv jw jx jy jz kb kc kd kh kj kk km kp kq kv kw kx kz lh lj lq lx lz mc md mf mg mh mj mk mq ' +
  'mr mt mw mx mz nq nw nx nz oq oz pb pc pj pk pn pq pv pw px pz q_ qa qb qc qd qe qf qg qh qi qj qk ql qm qn qo qp qq qr ' +
  'qt qv qw qx qy qz rj rq rx rz sb sj sq sr sv sx sz tb tj tk tq tv tx tz uh uj uq uu uv uw uy uz vb vc vd vf vg vh vj vk ' +
  'vl vm vn vp vq vr vt vv vw vx vy vz wb wc wd wf wg wj wk wm wp wq wt wu wv ww wx wy wz xb xd xf xg xj xk xl xm xn xo xq ' +
  'xr xs xu xv xw xx xz yb yd yg yh yj yk yq yu yv yx yy zb zc zd zf zg zh zj zk zl zm zn zp zq zr zs zt zu zv zw zx zy zz';

/** 0 for a word boundary, 1..26 for a..z, -1 for anything else (digits, other scripts). */
function code(c: number): number {
  if (c === 32) return 0;
  if (c >= 97 && c <= 122) return c - 96;
  return -1;
}

const RARE = new Uint8Array(27 * 27);
for (const pair of RARE_PAIRS.split(' ')) {
  const [a, b] = [...pair.replace(/_/g, ' ')].map((ch) => code(ch.charCodeAt(0)));
  RARE[a! * 27 + b!] = 1;
}

/** Share of the text's letter pairs that English rarely has. */
export function rarePairShare(text: string): number {
  let pairs = 0;
  let rare = 0;
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const cur = code(text.charCodeAt(i));
    if (prev >= 0 && cur >= 0 && (prev | cur) !== 0) {
      pairs++;
      rare += RARE[prev * 27 + cur]!;
    }
    prev = cur;
  }
  return pairs === 0 ? 0 : rare / pairs;
}

/** Expected share of the text's shingles intact, in 1/255ths. */
export function shingleSurvival(text: string, opts: DedupeOptions): number {
  const share = rarePairShare(text);
  if (share >= opts.noiseCeiling || share <= opts.noiseFloor) return 255;
  const survival = Math.max(opts.minSurvival, Math.exp(-opts.noiseSlope * (share - opts.noiseFloor)));
  return Math.round(survival * 255);
}
