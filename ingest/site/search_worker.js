/*
 * The site's search worker: Material's search UI, answered from the site's chunked index.
 *
 * Material's search box, result list, keyboard handling and ?q= links talk to a web worker at
 * assets/javascripts/workers/search.*.min.js with four messages (Material's
 * integrations/search/worker/message): SETUP (0) with the search settings, READY (1), QUERY
 * (2) with what the reader typed, RESULT (3) with {items: SearchItem[][]}. The kb plugin serves
 * this file at that URL instead of Material's lunr worker, so everything the reader sees stays
 * Material's.
 *
 * The index (search/kb/, written by ingest/site/search_build.py) is an inverted index cut into
 * chunks of sorted terms. A query fetches index.json (the first term of every chunk), the chunks
 * holding its terms, and the pages it lists; nothing is loaded before the first query, so a
 * reader who never searches downloads nothing.
 *
 * Terms are cut as ingest/site/search_tokens.py cuts them: runs of Chinese as overlapping
 * character pairs, other words in lower case without punctuation. A query term matches every
 * indexed term it starts; a page must match all of them. Pages are ranked by BM25 (the
 * term-frequency part precomputed per page, the rarity from how many pages a term matches), plus
 * boosts for terms in the title and the topic names, as Pagefind ranks.
 */
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// Results listed per query: Material shows ten, then more as the list scrolls. Each one costs a
// page download (its text, for the excerpt), so the list stops here.
const MAX_RESULTS = 20;
// A term shorter than this (one Latin letter) matches only itself, not every word it starts.
const MIN_PREFIX = 2;
// Chunks fetched for one term at most: a short prefix (tr) may start terms in many chunks.
const MAX_CHUNKS_PER_TERM = 6;
// Excerpt length, in the width of Latin characters (a Chinese character counts as two).
const EXCERPT_WIDTH = 180;
const EXCERPT_LEAD = 30; // context kept before the first match
const SCORE_LEVELS = 255;
const K1 = 1.4; // BM25 saturation, as the index was built (search_build.py)
const TITLE_FIELD = 1;
const KEYWORDS_FIELD = 2;

const CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const SPACE = "\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PIECE = new RegExp(
  `([${CJK}]+)|([${SPACE}]+)|((?:[\\x21-\\x7e]|(?![\\x00-\\x7f${CJK}])[\\p{L}\\p{N}_])+)|([^])`,
  "gu",
);
const INDEXED = /[\p{L}\p{N}_]/u;
const CJK_CHAR = new RegExp(`^[${CJK}]$`, "u");
const PART_BREAK = /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;

/* ---------------------------------------------------------------- terms */

/** [kind, piece] for every piece of text: kind is cjk, space, word or other. */
function pieces(text) {
  const out = [];
  for (const match of text.matchAll(PIECE)) {
    const kind = match[1] !== undefined ? "cjk" : match[2] !== undefined ? "space" : match[3] !== undefined ? "word" : "other";
    out.push([kind, match[0]]);
  }
  return out;
}

/** A word as the index holds it: lower case (letter by letter), only letters, digits and "_". */
function indexForm(word) {
  let form = "";
  for (const char of word) if (INDEXED.test(char)) form += char.toLowerCase();
  return form;
}

/** What to search for: the pairs of each CJK run (a single character alone), the other words as indexed. */
function queryTerms(query) {
  const terms = [];
  for (const [kind, piece] of pieces(query.normalize("NFKC"))) {
    if (kind === "cjk") {
      const chars = Array.from(piece);
      if (chars.length === 1) terms.push(piece);
      else for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    } else if (kind === "word" && indexForm(piece)) {
      terms.push(indexForm(piece));
    }
  }
  return terms;
}

/** The parts a compound word is also found by: nn.functional -> nn, functional; none for conv2d. */
function compoundParts(word) {
  const parts = word
    .split(PART_BREAK)
    .map(indexForm)
    .filter((part) => Array.from(part).length >= 2);
  return parts.length > 1 || (parts.length && parts[0] !== indexForm(word)) ? parts : [];
}

/* ---------------------------------------------------------------- excerpts */

/**
 * A text as a list of {text, glued, form}: every CJK character and every other word, glued
 * telling that no space follows it, form the word as the index holds it.
 */
function textWords(text) {
  const words = [];
  for (const [kind, piece] of pieces(text)) {
    if (kind === "space") {
      if (words.length) words[words.length - 1].glued = false;
    } else if (kind === "cjk") {
      for (const char of piece) words.push({ text: char, glued: true, cjk: true });
    } else {
      words.push({ text: piece, glued: true, cjk: false, form: kind === "word" ? indexForm(piece) : "" });
    }
  }
  if (words.length) words[words.length - 1].glued = false;
  return words;
}

/**
 * What to mark in a result, from the query: each CJK run as a whole (梯度检查点 marks where the text
 * holds all of it, not a stray 梯度), every other word where it starts a word or a word's part.
 */
function markTargets(query) {
  const runs = [];
  const words = [];
  for (const [kind, piece] of pieces(query.normalize("NFKC"))) {
    if (kind === "cjk") runs.push(Array.from(piece));
    else if (kind === "word" && indexForm(piece)) words.push(indexForm(piece));
  }
  return { runs, words };
}

function wordMatches(word, prefixes) {
  if (word.cjk || !word.form) return false;
  const parts = compoundParts(word.text);
  return prefixes.some((p) => word.form.startsWith(p) || parts.some((part) => part.startsWith(p)));
}

/** The text as the result shows it (whitespace as single spaces). */
function shownText(text) {
  return textWords(text)
    .map((word) => word.text + (word.glued ? "" : " "))
    .join("")
    .replace(/ $/, "");
}

/** Which of the words are marked. */
function marks(words, targets) {
  const marked = new Array(words.length).fill(false);
  for (let i = 0; i < words.length; i++) {
    if (targets.words.length && wordMatches(words[i], targets.words)) marked[i] = true;
    for (const run of targets.runs) {
      if (i + run.length > words.length) continue;
      let whole = true;
      for (let j = 0; j < run.length && whole; j++) {
        // A run is matched across characters that follow each other without a space.
        whole = words[i + j].text === run[j] && (j + 1 === run.length || words[i + j].glued);
      }
      if (whole) for (let j = 0; j < run.length; j++) marked[i + j] = true;
    }
  }
  return marked;
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** HTML of words[start:end], marked words wrapped in <mark>, everything else escaped. */
function render(words, marked, start = 0, end = words.length) {
  let html = "";
  let open = false;
  for (let i = start; i < end; i++) {
    if (marked[i] && !open) {
      html += "<mark>";
      open = true;
    }
    html += escapeHTML(words[i].text);
    const last = i + 1 >= end;
    if (open && (last || !marked[i + 1])) {
      html += "</mark>";
      open = false;
    }
    if (!words[i].glued && !last) html += " ";
  }
  return html;
}

function width(word) {
  return (word.cjk ? 2 : word.text.length) + (word.glued ? 0 : 1);
}

/** The stretch of words with the most marked ones that fits EXCERPT_WIDTH, from a little before them. */
function excerptRange(words, marked) {
  let best = 0;
  let bestStart = Math.max(0, marked.indexOf(true));
  let count = 0;
  let used = 0;
  for (let start = 0, end = 0; start < words.length; start++) {
    while (end < words.length && used + width(words[end]) <= EXCERPT_WIDTH) {
      used += width(words[end]);
      count += marked[end] ? 1 : 0;
      end++;
    }
    if (count > best) {
      best = count;
      bestStart = start;
    }
    used -= width(words[start]);
    count -= marked[start] ? 1 : 0;
  }
  let start = bestStart;
  const firstMark = marked.indexOf(true, bestStart);
  if (firstMark >= 0) {
    start = firstMark;
    let lead = 0;
    while (start > 0 && lead + width(words[start - 1]) <= EXCERPT_LEAD) lead += width(words[--start]);
  }
  let end = start;
  for (let taken = 0; end < words.length && taken + width(words[end]) <= EXCERPT_WIDTH; end++) taken += width(words[end]);
  return [start, Math.max(end, Math.min(start + 1, words.length))];
}

function excerpt(text, targets) {
  const words = textWords(text);
  if (!words.length) return "";
  const marked = marks(words, targets);
  const [start, end] = excerptRange(words, marked);
  return (start > 0 ? "… " : "") + render(words, marked, start, end) + (end < words.length ? " …" : "");
}

/* ---------------------------------------------------------------- the index */

// search/kb/ at the site root: this worker is assets/javascripts/workers/<name>.
const indexURL = () => new URL("../../../search/kb/", self.location.href);
let entry = null; // index.json of the current build
const chunkCache = new Map();
const pageCache = new Map();

/** A gzip-compressed JSON file of the index (served as is; decompressed here unless the server did). */
async function fetchData(name) {
  const response = await fetch(new URL(`${entry.build}/${name}`, indexURL()));
  if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

function loadEntry() {
  if (!entry) {
    // Fresh on every visit (never an older build's list of chunks from the cache).
    entry = fetch(new URL(`index.json?ts=${Date.now()}`, indexURL()))
      .then((response) => {
        if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
        return response.json();
      })
      .then((data) => (entry = data))
      .catch((error) => {
        entry = null; // tried again on the next query
        throw error;
      });
  }
  return Promise.resolve(entry);
}

function loadChunk(number) {
  if (!chunkCache.has(number)) {
    const chunk = fetchData(`t${number}.gz`);
    chunk.catch(() => chunkCache.delete(number));
    chunkCache.set(number, chunk);
  }
  return chunkCache.get(number);
}

function loadPage(number) {
  if (!pageCache.has(number)) {
    const page = fetchData(`p${number}.gz`);
    page.catch(() => pageCache.delete(number));
    pageCache.set(number, page);
  }
  return pageCache.get(number);
}

/** The last i with list[i] <= value (strings compared as JavaScript does), or -1. */
function lastAtMost(list, value) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** A single Latin letter or digit stands for itself; a single Chinese character starts its pairs. */
function exactOnly(term) {
  const chars = Array.from(term);
  return chars.length < MIN_PREFIX && !CJK_CHAR.test(term);
}

/** The chunks that may hold terms starting with ``term``. */
function chunksFor(term) {
  const first = Math.max(0, lastAtMost(entry.chunks, term));
  if (exactOnly(term)) return [first];
  const last = Math.max(first, lastAtMost(entry.chunks, term + "\uffff"));
  const numbers = [];
  for (let n = first; n <= last && numbers.length < MAX_CHUNKS_PER_TERM; n++) numbers.push(n);
  return numbers;
}

/** UTF-8 length, as Pagefind compares the length of a match with the term's. */
const encoder = new TextEncoder();
function lengthBonus(term, word) {
  const differential = Math.abs(encoder.encode(word).length - encoder.encode(term).length) + 1;
  return Math.exp(Math.exp((-0.5 * differential ** 2) / 4) - 1);
}

/**
 * The pages a query term matches: Map page -> {score, fields}, from every indexed term it starts
 * (or, when it starts none, the longest indexed term that starts it: transformers finds
 * transformer), each weighted by how close its length is to the term's.
 */
async function termMatches(term) {
  const chunks = await Promise.all(chunksFor(term).map(loadChunk));
  const found = [];
  const exact = exactOnly(term);
  for (const chunk of chunks) {
    let i = Math.max(0, lastAtMost(chunk.terms, term));
    if (chunk.terms[i] < term) i++;
    for (; i < chunk.terms.length && chunk.terms[i].startsWith(term); i++) {
      if (exact && chunk.terms[i] !== term) break;
      found.push([chunk, i]);
    }
  }
  if (!found.length) {
    for (const chunk of chunks) {
      for (let length = term.length - 1; length >= 2 && !found.length; length--) {
        const i = lastAtMost(chunk.terms, term.slice(0, length));
        if (i >= 0 && chunk.terms[i] === term.slice(0, length)) found.push([chunk, i]);
      }
    }
  }
  const matches = new Map();
  for (const [chunk, i] of found) {
    const bonus = lengthBonus(term, chunk.terms[i]);
    const values = chunk.values[i];
    let page = 0;
    chunk.pages[i].forEach((gap, k) => {
      page += gap;
      const score = ((values[k] >> 2) / SCORE_LEVELS) * (K1 + 1) * bonus;
      const seen = matches.get(page);
      if (seen) {
        seen.score = Math.max(seen.score, score);
        seen.fields |= values[k] & 3;
      } else {
        matches.set(page, { score, fields: values[k] & 3 });
      }
    });
  }
  return matches;
}

function idf(pages, matching) {
  return Math.log(1 + (pages - matching + 0.5) / (matching + 0.5));
}

/** Pages matching every term, best first: [{page, score}]. */
async function rank(terms) {
  const perTerm = await Promise.all(terms.map(termMatches));
  if (perTerm.some((matches) => matches.size === 0)) return [];
  const rarity = perTerm.map((matches) => idf(entry.pages, matches.size));
  const total = rarity.reduce((sum, value) => sum + value, 0);
  const order = perTerm.map((_, i) => i).sort((a, b) => perTerm[a].size - perTerm[b].size);
  const ranked = [];
  for (const page of perTerm[order[0]].keys()) {
    if (!order.every((i) => perTerm[i].has(page))) continue;
    let score = 0;
    const inField = { title: 0, keywords: 0 };
    perTerm.forEach((matches, i) => {
      const match = matches.get(page);
      score += rarity[i] * match.score;
      if (match.fields & TITLE_FIELD) inField.title += rarity[i];
      if (match.fields & KEYWORDS_FIELD) inField.keywords += rarity[i];
    });
    for (const [field, matched] of Object.entries(inField)) {
      // A field's boost grows with the share of the query it holds, squared: "the" in a title is little.
      if (matched && total) score += (entry.weights[field] ?? 1) * matched * (matched / total) ** 2;
    }
    ranked.push({ page, score });
  }
  return ranked.sort((a, b) => b.score - a.score || a.page - b.page);
}

/* ---------------------------------------------------------------- Material's messages */

/** The words as typed, for Material's "missing" line and the highlight on the opened page. */
function typedTerms(query) {
  const terms = {};
  for (const word of query.trim().split(/\s+/)) if (word) terms[word] = true;
  return terms;
}

/** Material's SearchItem for one page of the index. */
function searchItem(page, score, targets, typed) {
  const title = textWords(page.title || "");
  const item = {
    location: page.url,
    title: title.length ? render(title, marks(title, targets)) : escapeHTML(page.url),
    text: `<p>${excerpt(page.text || "", targets)}</p>`,
    score,
    terms: { ...typed },
  };
  if (Array.isArray(page.tags) && page.tags.length) item.tags = page.tags;
  return item;
}

async function search(query) {
  const terms = queryTerms(query);
  if (!terms.length) return { items: [] };
  await loadEntry();
  if (!entry.pages) return { items: [] };
  const best = (await rank(terms)).slice(0, MAX_RESULTS);
  const pages = await Promise.all(best.map((result) => loadPage(result.page)));
  const typed = typedTerms(query);
  const targets = markTargets(query);
  return { items: pages.map((page, i) => [searchItem(page, best[i].score, targets, typed)]) };
}

// Queries are answered one at a time, newest first: an answer to what the reader typed before is
// dropped once a newer query is waiting, so the list never ends on a stale result.
let waiting = null;
let busy = false;

async function answerQueries() {
  if (busy) return;
  busy = true;
  try {
    while (waiting !== null) {
      const query = waiting;
      waiting = null;
      let result;
      try {
        result = await search(query);
      } catch (error) {
        console.warn(`Search failed for ${JSON.stringify(query)}:`, error);
        result = { items: [] };
      }
      if (waiting === null) self.postMessage({ type: RESULT, data: result });
    }
  } finally {
    busy = false;
  }
}

function handle(message) {
  switch (message.type) {
    case SETUP:
      self.postMessage({ type: READY });
      break;
    case QUERY:
      waiting = String(message.data ?? "");
      answerQueries();
      break;
    default:
      throw new TypeError("Invalid message type");
  }
}

if (typeof module === "object" && module.exports) {
  module.exports = { queryTerms, compoundParts, textWords, shownText, excerpt, markTargets, marks, render, search };
} else {
  self.addEventListener("message", (event) => handle(event.data));
}
