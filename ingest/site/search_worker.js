/*
 * The site's search worker: Material's search UI, answered from a Pagefind index.
 *
 * Material's search box, result list, keyboard handling and ?q= links talk to a web worker at
 * assets/javascripts/workers/search.*.min.js with four messages (Material's
 * integrations/search/worker/message): SETUP (0) with the search settings, READY (1), QUERY
 * (2) with what the reader typed, RESULT (3) with {items: SearchItem[][]}. The kb plugin serves
 * this file at that URL instead of Material's lunr worker (ingest/site/pagefind_index.py), so
 * everything the reader sees stays Material's.
 *
 * Pagefind (pagefind/pagefind.js, written by the build) fetches only the index chunks and
 * page fragments a query needs. It is loaded on the first query, not at page load: a reader
 * who never searches downloads nothing.
 *
 * The index holds the words of ingest/site/search_tokens.py: runs of Chinese as overlapping
 * character pairs, other text as Pagefind indexes it. queryTerms cuts a query the same way,
 * decodeContent turns a page's indexed words back into its text for the excerpt. Both are
 * checked against the Python side by tests/site/test_search_tokens.py.
 */
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// Results listed per query: Material shows ten, then more as the list scrolls. Each one costs
// a fragment download (the page's text), so the list stops here.
const MAX_RESULTS = 20;
// Excerpt length, in the width of Latin characters (a Chinese character counts as two).
const EXCERPT_WIDTH = 180;
const EXCERPT_LEAD = 30; // context kept before the first match
// Ranking: a query word in the title boosts a page 5 times as much as one in its topic names
// (Pagefind's defaults: 5 for the title, 1 for any other metadata).
const RANKING = { metaWeights: { title: 5.0, keywords: 1.0 } };

const CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const SPACE = "\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PIECE = new RegExp(
  `([${CJK}]+)|([${SPACE}]+)|((?:[\\x21-\\x5f\\x61-\\x7e]|(?![\\x00-\\x7f${CJK}])[\\p{L}\\p{N}_])+)|([^])`,
  "gu",
);
const CJK_CHAR = new RegExp(`^[${CJK}]$`, "u");
const CJK_PAIR = new RegExp(`^[${CJK}]{2}$`, "u");
const GLUE = "`";
const INDEXED = /[\p{Alphabetic}\p{N}_]/u;

/* ---------------------------------------------------------------- words */

/** [piece, isCjk] for every piece of text; "" stands for whitespace. */
function pieces(text) {
  const out = [];
  for (const match of text.matchAll(PIECE)) {
    if (match[2] !== undefined) out.push(["", false]);
    else out.push([match[0], match[1] !== undefined]);
  }
  return out;
}

/** The word as Pagefind indexes it: lower case, only letters, digits and "_". */
function indexForm(word) {
  let form = "";
  for (const char of word) if (INDEXED.test(char)) form += char.toLowerCase();
  return form;
}

/** What Pagefind is asked for: CJK runs as pairs (a single character alone), the rest as indexed. */
function queryTerms(query) {
  const terms = [];
  for (const [piece, isCjk] of pieces(query.normalize("NFKC"))) {
    if (isCjk) {
      const chars = Array.from(piece);
      if (chars.length === 1) terms.push(piece);
      else for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    } else if (piece) {
      const form = indexForm(piece);
      if (form) terms.push(form);
    }
  }
  return terms;
}

/**
 * A page's indexed words back as text: [{text, glued, word}] per word, where text is what the
 * word shows, glued tells that no space follows it, and word is the word as indexed.
 */
function decodeWords(content) {
  const words = [];
  for (const word of content.split(" ")) {
    if (!word) continue;
    if (CJK_PAIR.test(word)) words.push({ text: Array.from(word)[0], glued: true, word });
    else if (word.length > 1 && word.endsWith(GLUE)) words.push({ text: word.slice(0, -1), glued: true, word });
    else words.push({ text: word, glued: false, word });
  }
  return words;
}

function decodeContent(content) {
  return decodeWords(content)
    .map((w) => w.text + (w.glued ? "" : " "))
    .join("")
    .replace(/ $/, "");
}

/** The parts Pagefind also indexes a compound word under: nn.functional -> nn, functional. */
function compoundParts(word) {
  return word
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .split(/[^\p{Alphabetic}\p{N}]+/u)
    .map(indexForm)
    .filter((part) => part.length > 1);
}

/**
 * What to mark in a result, from the query: each CJK run as a whole (梯度检查点 marks where the
 * text holds all of it, not a stray 梯度), every other word as a prefix, as Pagefind matched it.
 */
function markTargets(query) {
  const runs = [];
  const words = [];
  for (const [piece, isCjk] of pieces(query.normalize("NFKC"))) {
    if (isCjk) runs.push(Array.from(piece));
    else if (piece && indexForm(piece)) words.push(indexForm(piece));
  }
  return { runs, words };
}

function wordMatches(word, prefixes) {
  const form = indexForm(word.word);
  if (!form || CJK_CHAR.test(word.text)) return false;
  return prefixes.some((p) => form.startsWith(p) || compoundParts(word.word).some((part) => part.startsWith(p)));
}

/** Which of the decoded words are marked. */
function marks(words, targets) {
  const marked = new Array(words.length).fill(false);
  for (let i = 0; i < words.length; i++) {
    if (targets.words.length && wordMatches(words[i], targets.words)) marked[i] = true;
    for (const run of targets.runs) {
      if (i + run.length > words.length) continue;
      let whole = true;
      for (let j = 0; j < run.length && whole; j++) {
        // A run is matched across words that follow each other without a space.
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
  return (CJK_CHAR.test(word.text) ? 2 : word.text.length) + (word.glued ? 0 : 1);
}

/** The stretch of words with the most marked ones that fits EXCERPT_WIDTH, from a little before them. */
function excerptRange(words, marked) {
  let best = 0;
  let bestStart = marked.indexOf(true);
  if (bestStart < 0) bestStart = 0;
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
  // Start a little before the first marked word, so the match reads in its sentence.
  let start = bestStart;
  const firstMark = marked.indexOf(true, bestStart);
  if (firstMark >= 0) {
    start = firstMark;
    let lead = 0;
    while (start > 0 && lead + width(words[start - 1]) <= EXCERPT_LEAD) lead += width(words[--start]);
  }
  let end = start;
  for (let used = 0; end < words.length && used + width(words[end]) <= EXCERPT_WIDTH; end++) used += width(words[end]);
  return [start, Math.max(end, Math.min(start + 1, words.length))];
}

function excerpt(content, targets) {
  const words = decodeWords(content);
  if (!words.length) return "";
  const marked = marks(words, targets);
  const [start, end] = excerptRange(words, marked);
  return (start > 0 ? "… " : "") + render(words, marked, start, end) + (end < words.length ? " …" : "");
}

/* ---------------------------------------------------------------- search */

let pagefind = null;

/** pagefind/pagefind.js at the site root: this worker is assets/javascripts/workers/<name>. */
function loadPagefind() {
  if (!pagefind) {
    pagefind = import(new URL("../../../pagefind/pagefind.js", self.location.href).href).then(async (module) => {
      await module.options({ ranking: RANKING });
      await module.init();
      return module;
    });
    pagefind.catch(() => (pagefind = null)); // a failed load is tried again on the next query
  }
  return pagefind;
}

/** The words as typed, for Material's "missing" line and the highlight on the opened page. */
function typedTerms(query) {
  const terms = {};
  for (const word of query.trim().split(/\s+/)) if (word) terms[word] = true;
  return terms;
}

/** Material's SearchItem for one Pagefind result. */
function searchItem(fragment, score, targets, typed) {
  const title = decodeWords((fragment.meta && fragment.meta.title) || "");
  const location = (fragment.raw_url || fragment.url || "").replace(/^\//, "");
  const item = {
    location,
    title: title.length ? render(title, marks(title, targets)) : escapeHTML(location),
    text: `<p>${excerpt(fragment.content || "", targets)}</p>`,
    score,
    terms: { ...typed },
  };
  const tags = fragment.filters && fragment.filters.tag;
  if (Array.isArray(tags) && tags.length) item.tags = tags;
  return item;
}

async function search(query) {
  const terms = queryTerms(query);
  if (!terms.length) return { items: [] };
  const module = await loadPagefind();
  const response = await module.search(terms.join(" "));
  const results = response.results.slice(0, MAX_RESULTS);
  const fragments = await Promise.all(results.map((result) => result.data()));
  const typed = typedTerms(query);
  const targets = markTargets(query);
  return { items: fragments.map((fragment, i) => [searchItem(fragment, results[i].score, targets, typed)]) };
}

// Queries are answered one at a time, newest first: an answer to what the reader typed before
// is dropped once a newer query is waiting, so the list never ends on a stale result.
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
  module.exports = { queryTerms, decodeContent, decodeWords, excerpt, markTargets, marks, render, searchItem };
} else {
  self.addEventListener("message", (event) => handle(event.data));
}
