/**
 * The Redis side of the dedupe index: one Lua script, so that looking up, deciding and
 * recording happen as one atomic step (two workers racing on the same story cannot both see
 * an empty index). It mirrors decision.ts and similarity.ts operation for operation (the
 * noise-lowered threshold included); change them together.
 *
 * Layout under P, the index prefix plus its format tag (options.ts, indexFormatTag; all keys
 * share the prefix's hash tag):
 *   P:seq               article counter; an article's ref is its sequence number
 *   P:r:<block>         fixed-size records of 1024 articles, packed in one string:
 *                       id, cluster id, duplicate-of id (1+32 bytes each), time (double),
 *                       shingle count (u32), similarity (u16, 1/10000), method (u8),
 *                       shingle survival under noise (u8, 1/255, see noise.ts), signature
 *   P:h:<shard>         small hashes (listpack-encoded): 3-byte field (the slice's low byte, two
 *                       bytes of the bucket hash) -> packed u32 refs, for the id lookup, the
 *                       exact-hash lookup and every LSH band bucket; the shard is the bucket
 *                       hash's top bits in hex, worked out by the caller; field '.' packs the
 *                       oldest and newest slice written into the key (i32 each)
 * Bucket keys expire a window after the newest slice written into them ends, and lose a dead
 * slice's fields on their next write; record blocks expire a window after their last write.
 * Lookups also check each record's time, so the window is exact to the millisecond.
 * A candidate's record is read whole, in one call, but compared in two steps (the first
 * SCREEN_SLOTS slots, then the rest only if they pass the screen), as decision.ts drops them.
 *
 * Redis time per call goes mostly to the Lua interpreter and to redis.call's own cost, so the
 * script keeps calls few and hands redis.call no numbers it would have to format (Redis 7.0
 * prints each one with snprintf): shards come as text from the caller, times are made text once.
 */
import { SCREEN_SLOTS } from './decision.js';

export const RECORD_ID_BYTES = 32;
export const RECORDS_PER_BLOCK = 1024;
/** Bytes before the signature in a record. */
export const RECORD_HEADER = 3 * (1 + RECORD_ID_BYTES) + 8 + 4 + 2 + 1 + 1;

export const DEDUPE_LUA = `
local P = ARGV[1]
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local span = tonumber(ARGV[4])
-- each bucket's shard (part of its key), as fixed-width text
local shards = ARGV[5]
local id = ARGV[6]
local size = tonumber(ARGV[7])
local sig = ARGV[8]
-- bucket hashes, 4 bytes each: 1 the id, 2 the exact hash, then one per LSH band
local hashes = ARGV[9] .. ARGV[10] .. ARGV[11]
local maxRefs = tonumber(ARGV[12])
local maxCandidates = tonumber(ARGV[13])
local threshold = tonumber(ARGV[14])
local jaccardFloor = tonumber(ARGV[15])
local survival = tonumber(ARGV[16])
local screenMin = tonumber(ARGV[17])
local mode = ARGV[18]
local K = #sig
local HEADER = ${RECORD_HEADER}
local R = HEADER + K
local BLOCK = ${RECORDS_PER_BLOCK}
local COLLISION = 1 / 256
local SCREEN = math.min(K, ${SCREEN_SLOTS})
-- a bucket key's marker field: one byte, never a bucket field (those are three bytes)
local MARK = '.'

-- formats for unpacking n big-endian u32 at once, made once per length
local U32 = {}
local function u32s(n)
  local f = U32[n]
  if not f then f = '>' .. string.rep('I4', n); U32[n] = f end
  return f
end

-- each bucket's shard (part of its key) and field, worked out once for every slice
local B = #hashes / 4
local shardWidth = #shards / B
local shard, field = {}, {}
for b = 1, B do
  shard[b] = string.sub(shards, shardWidth * (b - 1) + 1, shardWidth * b)
  field[b] = string.sub(hashes, 4 * b - 1, 4 * b)
end
local first = math.floor((now - window) / span)
local last = math.floor(now / span)
local S = last - first + 1
local K_PREFIX = P .. ':h:'

-- A bucket's field in slice sl: the slice's low byte, then the bucket's two bytes.
local function tag(sl) return string.char(sl % 256) end

-- Every live slice of bucket b, read in one call with the key's marker (see addRef), kept for
-- the write that follows in the same atomic step: seen[(s - 1) * B + b] is slice s's raw refs
-- (1 = the oldest live slice), mark[b] the marker (false: the key does not exist).
local seen, mark = {}, {}
local readFields = {}
local function load(b)
  if mark[b] ~= nil then return end
  for s = 1, S do readFields[s] = tag(first + s - 1) .. field[b] end
  readFields[S + 1] = MARK
  local v = redis.call('HMGET', K_PREFIX .. shard[b], unpack(readFields, 1, S + 1))
  for s = 1, S do seen[(s - 1) * B + b] = v[s] or '' end
  mark[b] = v[S + 1]
end

-- bucket b of live slice s: its refs, oldest first
local function refs(s, b)
  load(b)
  local v = seen[(s - 1) * B + b]
  if #v == 0 then return {} end
  -- the last value unpack returns is the next offset: dropped
  local out = { struct.unpack(u32s(#v / 4), v) }
  out[#out] = nil
  return out
end

-- Removes the fields of slices no longer live from a key (the marker said it held some).
local function purgeDeadSlices(key)
  local live = {}
  for sl = first, last do live[tag(sl)] = true end
  local dead = {}
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if f ~= MARK and not live[string.sub(f, 1, 1)] then dead[#dead + 1] = f end
  end
  if #dead > 0 then redis.call('HDEL', key, unpack(dead)) end
end

-- One key per shard holds the shard's buckets of every slice, so a lookup reads all live
-- slices in one call and a key's fixed cost is paid once, not once per slice. Its marker field
-- packs the oldest and newest slice written into it: the key's expiry follows the newest
-- (moved once per slice, not per write), and a key found holding a slice that is no longer
-- live loses that slice's fields on its next write.
local function addRef(w, b, packedSeq)
  local key = K_PREFIX .. shard[b]
  local s = w - first + 1
  local old, marker
  if mark[b] ~= nil and s >= 1 and s <= S then
    old, marker = seen[(s - 1) * B + b], mark[b]
  else
    local v = redis.call('HMGET', key, tag(w) .. field[b], MARK)
    old, marker = v[1] or '', v[2]
  end
  local v = old .. packedSeq
  if #v > 4 * maxRefs then v = string.sub(v, #v - 4 * maxRefs + 1) end
  local oldest, newest = w, w
  if marker then
    oldest, newest = struct.unpack('>i4>i4', marker)
    if oldest < first then
      purgeDeadSlices(key)
      oldest = first
    end
    oldest = math.min(oldest, w)
  end
  local moved = not marker or w > newest
  if moved then newest = w end
  local packedMark = struct.pack('>i4>i4', oldest, newest)
  if packedMark ~= marker then
    redis.call('HSET', key, tag(w) .. field[b], v, MARK, packedMark)
    -- later buckets of this article in the same key see the marker as it is now
    for c = 1, B do if shard[c] == shard[b] and mark[c] ~= nil then mark[c] = packedMark end end
  else
    redis.call('HSET', key, tag(w) .. field[b], v)
  end
  -- only ever later: a new key has none yet, and w is past the newest slice written
  if moved then redis.call('PEXPIREAT', key, tostring((w + 1) * span + window)) end
end

local function idField(s, offset)
  local n = string.byte(s, offset)
  return string.sub(s, offset + 1, offset + n)
end

-- an article's raw record, or nil when its slot is empty or it is older than the window
local function readRecord(seq)
  local off = (seq % BLOCK) * R
  local s = redis.call('GETRANGE', P .. ':r:' .. math.floor(seq / BLOCK), off, off + R - 1)
  if #s < R or string.byte(s, 1) == 0 then return nil end
  if now - struct.unpack('>d', s, 100) >= window then return nil end
  return s
end

local function record(seq)
  local s = readRecord(seq)
  if not s then return nil end
  return {
    seq = seq, id = idField(s, 1), cluster = idField(s, 34), dup = idField(s, 67),
    size = struct.unpack('>I4', s, 108), sim = struct.unpack('>I2', s, 112), method = string.byte(s, 114),
    survival = string.byte(s, 115),
    sig = string.sub(s, HEADER + 1, R),
  }
end

-- a candidate's raw record, with only what its screening needs unpacked
local function candidate(seq)
  local s = readRecord(seq)
  if not s then return nil end
  return { seq = seq, s = s, size = struct.unpack('>I4', s, 108), survival = string.byte(s, 115) }
end

local METHODS = { [0] = '', [1] = 'exact', [2] = 'near' }
local function answer(cluster, dup, simInt, method)
  return { cluster, dup, tostring(simInt), method }
end

-- a retry: the same article gets the same answer
for s = 1, S do
  for _, seq in ipairs(refs(s, 1)) do
    local r = record(seq)
    if r and r.id == id then
      if mode == 'r' then return { 'present' } end
      return answer(r.cluster, r.dup, r.sim, METHODS[r.method])
    end
  end
end

local cluster, dup, simInt, method
local recordedAt = now
if mode == 'r' then
  cluster, dup, simInt, method = ARGV[19], ARGV[20], tonumber(ARGV[21]), tonumber(ARGV[22])
  recordedAt = tonumber(ARGV[23])
else
  for s = 1, S do
    if cluster then break end
    for _, seq in ipairs(refs(s, 2)) do
      local r = record(seq)
      if r and r.size == size and r.sig == sig then
        cluster, dup, simInt, method = r.cluster, r.id, 10000, 1
        break
      end
    end
  end
  if not cluster and B > 2 then
    local hits = {}
    local order = {}
    for s = 1, S do
      for b = 3, B do
        for _, seq in ipairs(refs(s, b)) do
          if not hits[seq] then hits[seq] = 0; order[#order + 1] = seq end
          hits[seq] = hits[seq] + 1
        end
      end
    end
    -- most hits first, ties earliest first: one number per ref sorts without a Lua comparator
    for i = 1, #order do order[i] = hits[order[i]] * 4294967296 + (4294967295 - order[i]) end
    table.sort(order)
    local n = #order
    for i = 1, math.floor(n / 2) do order[i], order[n + 1 - i] = order[n + 1 - i], order[i] end
    for i = 1, n do order[i] = 4294967295 - order[i] % 4294967296 end
    local mine
    local best
    local function containmentOf(equal, theirSize)
      local jaccard = math.max(0, (equal / K - COLLISION) / (1 - COLLISION))
      local shared = (jaccard * (size + theirSize)) / (1 + jaccard)
      return math.min(1, shared / math.min(size, theirSize)), jaccard
    end
    -- whether a candidate agreeing on at most maxEqual slots could still be the best: skipping
    -- one that cannot changes no decision and spares reading and comparing its signature
    -- (size unknown, before the candidate is read: agreeing everywhere, it would reach 1)
    local function canWin(maxEqual, theirSize, theirSeq)
      if not best then return true end
      local c = theirSize and containmentOf(maxEqual, theirSize) or 1
      return c > best.containment or (c == best.containment and theirSeq < best.r.seq)
    end
    for i = 1, math.min(#order, maxCandidates) do
      local r = canWin(K, nil, order[i]) and candidate(order[i])
      if r then
        mine = mine or { string.byte(sig, 1, K) }
        local theirs = { string.byte(r.s, HEADER + 1, HEADER + SCREEN) }
        local equal = 0
        for j = 1, SCREEN do if mine[j] == theirs[j] then equal = equal + 1 end end
        -- too few agreeing slots among the first: not read further (decision.ts, screenMin)
        local alive = equal >= screenMin
        if alive and K > SCREEN then
          alive = canWin(equal + K - SCREEN, r.size, r.seq)
          if alive then
            theirs = { string.byte(r.s, HEADER + SCREEN + 1, R) }
            for from = 1, K - SCREEN, SCREEN do
              local to = math.min(K - SCREEN, from + SCREEN - 1)
              for j = from, to do if mine[SCREEN + j] == theirs[j] then equal = equal + 1 end end
              if not canWin(equal + K - SCREEN - to, r.size, r.seq) then alive = false; break end
            end
          end
        end
        if alive then
          local containment, jaccard = containmentOf(equal, r.size)
          -- noise in either text breaks shared shingles: the bar falls with the survival in both
          local pair = (survival * r.survival) / 65025
          if containment >= threshold * pair and jaccard >= jaccardFloor * pair then
            if not best or containment > best.containment or (containment == best.containment and r.seq < best.r.seq) then
              best = { containment = containment, r = r }
            end
          end
        end
      end
    end
    if best then
      cluster, dup, simInt, method = idField(best.r.s, 34), idField(best.r.s, 1), math.floor(best.containment * 10000 + 0.5), 2
    end
  end
  if not cluster then cluster, dup, simInt, method = id, '', 10000, 0 end
end

-- record the article
local seq = redis.call('INCR', P .. ':seq')
local function pad(s) return string.char(#s) .. s .. string.rep('\\0', ${RECORD_ID_BYTES} - #s) end
local rec = pad(id) .. pad(cluster) .. pad(dup) .. struct.pack('>d', recordedAt) .. struct.pack('>I4', size)
  .. struct.pack('>I2', simInt) .. string.char(method) .. string.char(survival) .. sig
local block = P .. ':r:' .. math.floor(seq / BLOCK)
local blockExpiry = tostring(recordedAt + window)
if redis.call('EXISTS', block) == 0 then
  -- created at full size at once: growing it write by write would over-allocate
  redis.call('SETRANGE', block, BLOCK * R - 1, '\\0')
  redis.call('PEXPIREAT', block, blockExpiry)
else
  redis.call('PEXPIREAT', block, blockExpiry, 'GT')
end
redis.call('SETRANGE', block, tostring((seq % BLOCK) * R), rec)
-- filed under its own time's slice (a rebuilt article's may be an older live one, or beyond now)
local slice = math.floor(recordedAt / span)
local packedSeq = struct.pack('>I4', seq)
-- bands only for a text long enough to be matched as a near copy (the caller passes none else)
for b = 1, B do addRef(slice, b, packedSeq) end
if mode == 'r' then return { 'inserted' } end
return answer(cluster, dup, simInt, METHODS[method])
`;
