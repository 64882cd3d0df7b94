/*
 * Open Medical Codes: search engine and search box.
 *
 * The engine is the twin of generator/search_query.py (same parsing, same ranking; the
 * tests compare both on one index). It reads the split index written by
 * generator/search_index.py from ./index/ beside this file, loading each file with a
 * script tag (so it works from file:// as well as http) and only the files a query needs.
 * Needs lunr.js (lunr.min.js beside this file) for lunr's pipeline and query parser.
 */
(function () {
  "use strict";
  if (window.OMCSearch) return;   // included twice: the first copy does the work

  var script = document.currentScript;
  var ASSETS = script ? script.src.replace(/[^\/]*$/, "") : "";
  var INDEX = ASSETS + "index/";
  var SITE = new URL("../../", ASSETS || document.baseURI).href;
  var FORMAT = 3;
  var AFTER = "~";
  var NAMES = { cpt: "CPT", icd10cm: "ICD-10-CM", icd10pcs: "ICD-10-PCS", hcpcs: "HCPCS", icd9cm: "ICD-9-CM" };
  // What a result says of a code no longer in use, by system (twin of search_query.INACTIVE_NOTES).
  var INACTIVE_NOTES = { icd10cm: "no longer valid", icd9cm: "retired" };

  // --- loading index files --------------------------------------------------------------------

  var payloads = {};
  var loading = {};
  var requested = [];
  window.OMCSearchData = function (name, payload) { payloads[name] = payload; };

  function load(name) {
    if (!loading[name]) {
      requested.push(name);
      loading[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = INDEX + name + ".js";
        tag.async = true;
        tag.onload = function () {
          tag.remove();
          if (name in payloads) resolve(payloads[name]);
          else reject(new Error("search index file " + name + ".js did not register"));
        };
        tag.onerror = function () {
          tag.remove();
          delete loading[name];
          reject(new Error("cannot load search index file " + name + ".js"));
        };
        document.head.appendChild(tag);
      });
    }
    return loading[name];
  }

  // --- text, the twin of generator/search_text.py -----------------------------------------------

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\u00df/g, "ss");
  }

  function words(text) {
    var found = [];
    fold(text).split(/[^a-z0-9']+/).forEach(function (part) {
      part = part.replace(/^'+|'+$/g, "");
      if (part) found.push(part);
    });
    return found;
  }

  var analysed = new Map();
  function analyse(word) {
    if (analysed.has(word)) return analysed.get(word);
    var token = lunr.trimmer(new lunr.Token(word, {}));
    var term = null;
    if (lunr.stopWordFilter(token)) term = lunr.stemmer(token).toString() || null;
    analysed.set(word, term);
    return term;
  }

  function codeKey(code) { return code.toUpperCase().replace(/[\s.]/g, ""); }
  function firstKey(code) { return codeKey(code).split("-")[0]; }

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE_OF = {};
  for (var i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

  function decodePostings(text) {
    var docs = [];
    var values = [];
    var doc = -1;
    var number = 0;
    for (var position = 0; position < text.length;) {
      var value = VALUE_OF[text.charCodeAt(position++)];
      if (value >= 32) { number = number * 32 + (value - 32); continue; }
      doc += number * 32 + value + 1;
      number = 0;
      docs.push(doc);
      values.push(VALUE_OF[text.charCodeAt(position)] | VALUE_OF[text.charCodeAt(position + 1)] << 6);
      position += 2;
    }
    return { docs: docs, values: values };
  }

  function withinOne(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var start = 0;
    while (start < Math.min(la, lb) && a[start] === b[start]) start++;
    if (la === lb) {
      if (a.slice(start + 1) === b.slice(start + 1)) return true;
      return start + 1 < la && a[start] === b[start + 1] && a[start + 1] === b[start] && a.slice(start + 2) === b.slice(start + 2);
    }
    if (la > lb) return a.slice(start + 1) === b.slice(start);
    return a.slice(start) === b.slice(start + 1);
  }

  function withinEdits(a, b, distance) {
    if (distance <= 0) return a === b;
    if (distance === 1) return withinOne(a, b);
    if (Math.abs(a.length - b.length) > distance) return false;
    var previous2 = [], previous = [], current, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], previous2[j - 2] + 1);
      }
      previous2 = previous;
      previous = current;
    }
    return previous[b.length] <= distance;
  }

  function bisectLeft(list, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < key) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function bisectRight(list, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (key < list[mid]) hi = mid; else lo = mid + 1; }
    return lo;
  }

  // --- the index ---------------------------------------------------------------------------------

  var manifest = null;
  var shardTerms = {};
  var decoded = new Map();

  function ready() {
    return load("manifest").then(function (payload) {
      if (payload.format !== FORMAT) throw new Error("search index format " + payload.format + ", expected " + FORMAT);
      manifest = payload;
      return payload;
    });
  }

  function systemOf(doc) {
    for (var i = 0; i < manifest.systems.length; i++) {
      var system = manifest.systems[i];
      if (system.base <= doc && doc < system.base + system.count) return system;
    }
    throw new Error("no document " + doc);
  }

  function chunkOf(system, position) { return load("d/" + system.key + "/" + Math.floor(position / manifest.chunk)); }

  function lowerBound(system, key) {
    var chunk = bisectLeft(system.starts, key);
    if (chunk === 0) return Promise.resolve(0);
    return load("d/" + system.key + "/" + (chunk - 1)).then(function (payload) {
      for (var offset = 0; offset < payload.c.length; offset++) {
        if (firstKey(payload.c[offset]) >= key) return (chunk - 1) * manifest.chunk + offset;
      }
      return chunk < system.starts.length ? chunk * manifest.chunk : system.count;
    });
  }

  function Filters(options) {
    options = options || {};
    this.systems = options.systems && options.systems.length ? options.systems : null;
    this.billableOnly = !!options.billableOnly;
    this.includeTerminated = !!options.includeTerminated;
  }
  Filters.prototype.keep = function (system, flags) {
    if (this.systems !== null && this.systems.indexOf(system) < 0) return false;
    if (this.billableOnly && !(flags & 2)) return false;
    return this.includeTerminated || !!(flags & 1);
  };

  function keptTest(system, filters) {
    if (filters.systems !== null && filters.systems.indexOf(system.key) < 0) return Promise.resolve(function () { return false; });
    var needed = (filters.billableOnly && system.mixed[0]) || (!filters.includeTerminated && system.mixed[1]);
    if (!needed) return Promise.resolve(function () { return true; });
    return load("f/" + system.key).then(function (flags) {
      return function (position) { return filters.keep(system.key, flags.charCodeAt(position) - 48); };
    });
  }

  function shardOf(term) { return bisectRight(manifest.shards, term) - 1; }

  function shard(number) {
    if (shardTerms[number]) return Promise.resolve(shardTerms[number]);
    return load("t/" + number).then(function (entries) {
      var map = new Map();
      entries.forEach(function (entry) { map.set(entry[0], entry); });
      shardTerms[number] = map;
      return map;
    });
  }

  function entry(term) {
    var number = shardOf(term);
    if (number < 0) return Promise.resolve(null);
    return shard(number).then(function (map) { return map.get(term) || null; });
  }

  var vocabularies = {};
  /** The words of ``length`` letters as written in the documents, most frequent first: {words, counts}. */
  function vocabulary(length) {
    if (manifest.lengths.indexOf(length) < 0) return Promise.resolve({ words: [], counts: [] });
    if (vocabularies[length]) return Promise.resolve(vocabularies[length]);
    return load("v/" + length).then(function (payload) {
      var found = { words: payload.w.split(" "), counts: payload.n.split(" ").map(Number) };
      vocabularies[length] = found;
      return found;
    });
  }

  function postings(entry, field) {
    var key = entry[0] + "\u0000" + field;
    var found = decoded.get(key);
    if (!found) { found = decodePostings(entry[3 + field]); decoded.set(key, found); }
    return found;
  }

  // --- codes ------------------------------------------------------------------------------------

  var CODE = /^[A-Z0-9.]+$/;
  var RANGE = /^([A-Z0-9.]+) *[-\u2013\u2014] *([A-Z0-9.]+)$/;
  /** lunr's query syntax (twin of search_query._SYNTAX). */
  var SYNTAX = /(^|\s)[+-]|[~^:*]/;
  var PCS_CODE = /^[0-9A-HJ-NP-Z]{7}$/;
  var HCPCS_CODE = /^[A-Z][0-9]{4}$/;
  var ICD9_DOTTED = /^\s*E?[0-9]{3}\./;
  var POWER = /(^|[ \t])[+-][^ \t]|[A-Za-z]:[A-Za-z]|\*|~|\^[0-9]/;
  var EXACT_LOOKAHEAD = 8;

  /** Systems in the order their codes come for what was typed (twin of search_query._preferred). */
  function preferred(text, keys) {
    var first = null;
    if (ICD9_DOTTED.test(text)) first = "icd9cm";
    else if (text.indexOf(".") >= 0) first = "icd10cm";
    else if (keys.every(function (key) { return HCPCS_CODE.test(key); })) first = "hcpcs";
    var systems = manifest.systems.slice();
    if (first === null) return systems;
    return systems.filter(function (system) { return system.key === first; })
      .concat(systems.filter(function (system) { return system.key !== first; }));
  }

  /** Position of the code (or range) ``key`` among the first codes from ``low`` starting with ``first``, or -1. */
  function exactAt(system, first, key, low, high) {
    var end = Math.min(high, low + EXACT_LOOKAHEAD);
    function step(position) {
      if (position >= end) return Promise.resolve(-1);
      return chunkOf(system, position).then(function (chunk) {
        var code = chunk.c[position % manifest.chunk];
        if (codeKey(code) === key) return position;
        if (firstKey(code) !== first) return -1;
        return step(position + 1);
      });
    }
    return step(low);
  }

  /** Position of the narrowest family document holding the whole code ``key`` (twin of search_query._family_of), or -1. */
  function familyOf(system, key) {
    if (!system.families || !new RegExp(system.familyCode).test(key)) return -1;
    var last = key.charAt(key.length - 1), digit = /[0-9]/.test(last);
    for (var i = 0; i < system.families.length; i++) {
      var family = system.families[i], end = family[0].charAt(family[0].length - 1);
      if (family[0] <= key && key <= family[1] && digit === /[0-9]/.test(end) && (digit || last === end)) return family[2];
    }
    return -1;
  }

  /** What search says for a code without a page whose family answers (twin of search_query.missing_notice). */
  function missingNotice(systemName, code, family) {
    var bounds = family.code.split("-");
    var span = bounds[0] === bounds[1] ? bounds[0] : bounds[0] + "\u2013" + bounds[1];
    return systemName + " " + code + " is in " + span + ", " + family.title
      + ". This site has no page for it yet: official CPT descriptors belong to the AMA.";
  }

  function codeHits(query, filters) {
    var text = query.trim().toUpperCase();
    var found = [];   // promises of [system, low, high, kind, exact position or -1, is a span]
    // A code asked for by its whole number is shown even when terminated (twin of search_query._code_hits).
    var exactFilters = new Filters({ systems: filters.systems, billableOnly: filters.billableOnly, includeTerminated: true });
    // Each searched system's flag tests, loaded alongside its codes rather than after them.
    var tests = {}, exactTests = {}, testsMade = [];
    function searched(system) {
      testsMade.push(Promise.all([keptTest(system, filters), keptTest(system, exactFilters)]).then(function (made) {
        tests[system.key] = made[0]; exactTests[system.key] = made[1];
      }));
    }
    var match = RANGE.exec(text);
    if (match) {
      var first = codeKey(match[1]), last = codeKey(match[2]);
      if (!(/[0-9]/.test(first) && /[0-9]/.test(last))) return Promise.resolve({ ranked: [], total: 0 });
      if (first > last) { var swap = first; first = last; last = swap; }   // a reversed range is read in order
      preferred(text, [first, last]).forEach(function (system) {
        var pattern = new RegExp(system.pattern);
        if (pattern.test(first) && pattern.test(last)) {
          searched(system);
          found.push(Promise.all([lowerBound(system, first), lowerBound(system, last + AFTER)]).then(function (bounds) {
            return exactAt(system, first, first + "-" + last, bounds[0], bounds[1]).then(function (exact) {
              return [system, bounds[0], bounds[1], "range", exact, true];
            });
          }));
        }
      });
    } else if (CODE.test(text)) {
      var key = codeKey(text);
      if (!key || !(/[0-9]/.test(key) || PCS_CODE.test(key))) return Promise.resolve({ ranked: [], total: 0 });
      preferred(text, [key]).forEach(function (system) {
        if (!new RegExp(system.pattern).test(key)) return;
        searched(system);
        found.push(Promise.all([lowerBound(system, key), lowerBound(system, key + AFTER)]).then(function (bounds) {
          return exactAt(system, key, key, bounds[0], bounds[1]).then(function (exact) {
            if (exact < 0) {
              var family = familyOf(system, key);
              if (family >= 0) return [system, bounds[0], bounds[1], "prefix", exact, /[0-9]/.test(key), family];
            }
            return [system, bounds[0], bounds[1], "prefix", exact, /[0-9]/.test(key)];
          });
        }));
      });
    } else {
      return Promise.resolve({ ranked: [], total: 0 });
    }
    return Promise.all([Promise.all(found), Promise.all(testsMade)]).then(function (got) {
      var spans = got[0];
      var ranked = [];
      var total = 0;
      spans.forEach(function (span) {
        if (span[4] >= 0 && (span[3] === "range" ? tests : exactTests)[span[0].key](span[4])) {
          ranked.push([span[0].base + span[4], span[3] === "range" ? "range" : "exact"]);   // a range's own header: first
          total++;
        } else if (span.length > 6 && tests[span[0].key](span[6])) {
          ranked.push([span[0].base + span[6], "family"]);   // a code without a page: its family answers
          total++;
        }
      });
      spans.forEach(function (span) {
        var system = span[0];
        if (!span[5] || (filters.systems !== null && filters.systems.indexOf(system.key) < 0)) return;
        for (var position = span[1]; position < span[2]; position++) {
          if (position !== span[4] && position !== span[6] && tests[system.key](position)) { total++; ranked.push([system.base + position, span[3]]); }
        }
      });
      return { ranked: ranked, total: total };
    });
  }

  // --- words ------------------------------------------------------------------------------------

  function clausesOf(query) {
    var ranking = manifest.ranking;
    var fields = manifest.fields;
    var allFields = fields.map(function (_, index) { return index; });
    var clauses = [];
    if (POWER.test(query)) {
      var parsed = new lunr.Query(fields);
      new lunr.QueryParser(query, parsed).parse();
      parsed.clauses.forEach(function (clause) {
        var clauseFields = clause.fields.map(function (name) { return fields.indexOf(name); });
        if (clause.term.indexOf("*") >= 0) {
          var pattern = fold(clause.term).replace(/[^a-z0-9'*]/g, "");
          if (pattern.replace(/\*/g, "")) {
            clauses.push({ term: null, raw: pattern, fields: clauseFields, presence: clause.presence, boost: clause.boost,
              prefix: false, fuzzy: 0, fuzzyAlways: false, pattern: pattern });
          }
          return;
        }
        words(clause.term).forEach(function (word) {
          var term = clause.usePipeline ? analyse(word) : word;
          if (term !== null) {
            clauses.push({ term: term, raw: word, fields: clauseFields, presence: clause.presence, boost: clause.boost,
              prefix: false, fuzzy: Math.min(clause.editDistance || 0, 2), fuzzyAlways: true, pattern: null });
          }
        });
      });
      return clauses;
    }
    var typed = words(query);
    var typing = !/\s$/.test(query);
    var seen = new Set();
    typed.forEach(function (word, number) {
      var last = number === typed.length - 1;
      var term = analyse(word);
      var prefix = last && typing && word.length >= ranking.prefixMinLength && /^[a-z0-9]+$/.test(word);
      if (term === null && !(prefix && typed.length === 1)) return;
      var identity = term || "*" + word;
      if (seen.has(identity)) return;
      seen.add(identity);
      clauses.push({ term: term, raw: word, fields: allFields, presence: 1, boost: 1, prefix: prefix,
        fuzzy: word.length >= ranking.typoMinLength ? 1 : 0, fuzzyAlways: false, pattern: null });
    });
    return clauses;
  }

  function prefixed(prefix, shards) {
    var first = Math.max(shardOf(prefix), 0), last = shardOf(prefix + AFTER);
    if (last - first + 1 > shards) return Promise.resolve([]);
    var loads = [];
    for (var number = first; number <= last; number++) loads.push(shard(number));
    return Promise.all(loads).then(function (maps) {
      var entries = [];
      maps.forEach(function (map) {
        map.forEach(function (entry, term) { if (term.lastIndexOf(prefix, 0) === 0) entries.push(entry); });
      });
      return entries.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
    });
  }

  /** Terms of the words one edit (or the clause's distance) from the word as typed, with the frequency of
   *  their most frequent such word, most frequent first (the typed word's own term left out). */
  function near(clause) {
    var raw = clause.raw, distance = clause.fuzzy;
    var lengths = [];
    for (var length = raw.length - distance; length <= raw.length + distance; length++) lengths.push(length);
    return Promise.all(lengths.map(vocabulary)).then(function (lists) {
      var best = new Map();
      lists.forEach(function (list) {
        for (var i = 0; i < list.words.length; i++) {
          var word = list.words[i];
          if (word === raw || !withinEdits(raw, word, distance)) continue;
          var term = analyse(word);
          if (term !== null && term !== clause.term && list.counts[i] > (best.get(term) || 0)) best.set(term, list.counts[i]);
        }
      });
      return Array.from(best.entries()).sort(function (a, b) {
        return (b[1] - a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
      });
    });
  }

  function expansion(entry, weight, exact) { return { entry: entry, weight: weight, exact: exact }; }

  /** The index entries a clause matches, each with its match weight (twin of search_query._expansions). */
  function expansions(clause) {
    var ranking = manifest.ranking;
    var weights = ranking.matchWeight;
    var found = new Map();
    if (clause.pattern !== null) {
      var head = clause.pattern.split("*")[0];
      var candidates;
      if (clause.pattern === head + "*") {
        candidates = prefixed(head, 2 * ranking.prefixMaxShards);
      } else {
        var regex = new RegExp("^" + clause.pattern.split("*").map(function (part) {
          return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        }).join(".*") + "$");
        candidates = Promise.all(manifest.lengths.map(vocabulary)).then(function (lists) {
          var terms = new Set();
          lists.forEach(function (list) {
            list.words.forEach(function (word) {
              if (!regex.test(word)) return;
              var term = analyse(word);
              if (term !== null) terms.add(term);
            });
          });
          var sorted = Array.from(terms).sort();
          return Promise.all(sorted.slice(0, ranking.wildcardMaxTerms).map(entry)).then(function (entries) {
            return entries.filter(Boolean);
          });
        });
      }
      return candidates.then(function (entries) {
        return entries.slice(0, ranking.wildcardMaxTerms).map(function (e) { return expansion(e, weights.exact, true); });
      });
    }
    var exactEntry = clause.term !== null ? entry(clause.term) : Promise.resolve(null);
    var starting = clause.prefix ? prefixed(clause.raw, ranking.prefixMaxShards) : Promise.resolve([]);
    var longEnough = clause.raw.length >= ranking.typoMinLength;
    return Promise.all([exactEntry, starting]).then(function (got) {
      var exact = got[0];
      var completions = got[1].slice(0, ranking.prefixMaxTerms);
      if (exact) found.set(clause.term, expansion(exact, weights.exact, true));
      // A word that is no word of the documents although its term is (rarely): a typo or a word being typed.
      // (A rare term's entry lists its words as written.)
      var doubtful = exact !== null && exact[1] < ranking.typoRareDf && (clause.prefix || (clause.fuzzy && longEnough))
        && exact[6].split(" ").indexOf(clause.raw) < 0;
      // The word being typed: its most frequent completion counts as typed when the word is no term
      // itself, or is doubtful and the completion much more frequent.
      completions.forEach(function (e, number) {
        if (!found.has(e[0])) found.set(e[0], expansion(e, weights.prefix, number === 0 && exact === null));
      });
      if (doubtful && completions.length && completions[0][0] !== clause.term
          && completions[0][1] >= ranking.typoCorrectRatio * exact[1]) {
        found.set(completions[0][0], expansion(completions[0], weights.prefix, true));
        found.set(clause.term, expansion(exact, weights.prefix, false));
        doubtful = false;
      }
      if (!clause.fuzzy) return Array.from(found.values());
      if (!(clause.fuzzyAlways || (longEnough && found.size === 0) || doubtful)) return Array.from(found.values());
      return near(clause).then(function (nearby) {
        nearby = nearby.slice(0, ranking.typoMaxTerms);
        return Promise.all(nearby.map(function (pair) { return entry(pair[0]); })).then(function (entries) {
          entries.forEach(function (e, index) {
            if (e && !found.has(nearby[index][0])) found.set(nearby[index][0], expansion(e, weights.typo, false));
          });
          // The most frequent word one edit away is taken as meant: it counts as typed (with a typo's
          // weight) when the word matched nothing, or is doubtful and that word is much more frequent.
          if (nearby.length && found.has(nearby[0][0])) {
            var meant = found.get(nearby[0][0]);
            var anyExact = Array.from(found.values()).some(function (e) { return e.exact; });
            if (exact === null && !meant.exact && !anyExact) {
              found.set(nearby[0][0], expansion(meant.entry, weights.typo, true));
            } else if (doubtful && nearby[0][1] >= ranking.typoCorrectRatio * exact[1]) {
              found.set(nearby[0][0], expansion(meant.entry, weights.typo, true));
              found.set(clause.term, expansion(exact, weights.typo, false));
            }
          }
          return Array.from(found.values());
        });
      });
    });
  }

  /** The terms a phrase must hold to be the whole query, and the phrase's length in words. */
  function wholeWords(query, counted) {
    var ranking = manifest.ranking;
    var generic = ranking.generic;
    var found = new Set();
    if (POWER.test(query)) {
      counted.forEach(function (clause) {
        if (clause.term !== null && generic.indexOf(clause.term) < 0) found.add(clause.term);
      });
      return { terms: found, wanted: found.size };
    }
    var core = words(fold(query).replace(new RegExp(ranking.genericPattern, "g"), " unspecified "));
    core.forEach(function (word) {
      var term = analyse(word);
      if (term !== null && generic.indexOf(term) < 0) found.add(term);
    });
    var specific = core.some(function (word) { return ranking.specificWords.indexOf(word) >= 0; });
    return { terms: found, wanted: found.size + (specific ? 1 : 0) };
  }

  // Per-document scratch arrays, sized once for the index and cleared after each query.
  var scratch = null;
  function scratchArrays() {
    var size = manifest.documents;
    if (scratch && scratch.size === size) return scratch;
    var fields = manifest.fields.length;
    function many(Type) { var list = []; for (var f = 0; f < fields; f++) list.push(new Type(size)); return list; }
    scratch = {
      size: size,
      coverage: new Uint8Array(size), exactly: new Uint8Array(size), weakest: new Uint8Array(size), inTitle: new Uint8Array(size),
      score: new Float64Array(size), flags: new Uint8Array(size), required: new Uint8Array(size), tier: new Float64Array(size),
      prohibited: new Uint8Array(size), seen: new Uint8Array(size),
      wholeCount: many(Uint8Array), wholeLength: many(Uint8Array),
      // per clause
      best: new Float64Array(size), top: new Float64Array(size), bestClass: new Uint8Array(size),
      asTyped: new Uint8Array(size), inField: new Float64Array(size), inWhole: many(Uint8Array),
      // document lists
      all: new Int32Array(size), touched: new Int32Array(size), fieldTouched: new Int32Array(size),
    };
    return scratch;
  }

  /**
   * The first ``limit`` of ``docs`` in rank order (tier, score, billable, active, code order). A common
   * word matches tens of thousands of documents: sorting them all would cost more than the rest of
   * the query, so only the best tiers, and the best scores of the last tier needed, are sorted.
   */
  function rankFirst(docs, tier, score, flags, limit) {
    function compare(x, y) {
      return (tier[y] - tier[x]) || (score[y] - score[x])
        || ((flags[y] >> 1) - (flags[x] >> 1)) || ((flags[y] & 1) - (flags[x] & 1)) || (x - y);
    }
    if (docs.length <= Math.max(4 * limit, 1000)) return docs.sort(compare).slice(0, limit);
    // The tier of the limit-th document: all better tiers are in, and that tier's best scores.
    var counts = new Map();
    for (var i = 0; i < docs.length; i++) counts.set(tier[docs[i]], (counts.get(tier[docs[i]]) || 0) + 1);
    var tiers = Array.from(counts.keys()).sort(function (x, y) { return y - x; });
    var above = 0, cut = tiers[tiers.length - 1];
    for (var t = 0; t < tiers.length; t++) {
      if (above + counts.get(tiers[t]) >= limit) { cut = tiers[t]; break; }
      above += counts.get(tiers[t]);
    }
    var scores = new Float64Array(counts.get(cut)), count = 0;
    for (var j = 0; j < docs.length; j++) if (tier[docs[j]] === cut) scores[count++] = score[docs[j]];
    scores.sort();
    var least = scores[Math.max(0, scores.length - (limit - above))];
    var first = [];
    for (var k = 0; k < docs.length; k++) {
      var doc = docs[k];
      if (tier[doc] > cut || (tier[doc] === cut && score[doc] >= least)) first.push(doc);
    }
    return first.sort(compare).slice(0, limit);
  }

  /** The first ``limit`` documents matching the words of ``query`` in rank order, and how many match
   *  (twin of search_query._word_hits). */
  function wordHits(query, filters, limit) {
    var clauses = clausesOf(query);
    var ranking = manifest.ranking;
    var tfn = ranking.tfn, fieldWeight = ranking.fieldWeight, fieldClass = ranking.fieldClass, extra = ranking.bestFieldExtra;
    var counted = clauses.filter(function (clause) { return clause.presence !== 3; });
    var whole = wholeWords(query, counted);
    var wanted = whole.wanted, wholeMax = ranking.wholeMax;
    var fieldTotal = manifest.fields.length;
    return Promise.all(clauses.map(expansions)).then(function (expanded) {
      var a = scratchArrays();
      var flags = a.flags, asTyped = a.asTyped, inField = a.inField, best = a.best, top = a.top, bestClass = a.bestClass;
      var all = a.all, allCount = 0;                  // every document any clause touched
      var touched = a.touched, fieldTouched = a.fieldTouched;
      var requiredClauses = 0;
      var matched = new Set();
      clauses.forEach(function (clause, index) {
        var entries = expanded[index];
        var touchedCount = 0;
        if (clause.presence !== 3) entries.forEach(function (e) { matched.add(e.entry[0]); });
        clause.fields.forEach(function (field) {
          var inWhole = a.inWhole[field], lengths = tfn[field];
          var fieldCount = 0;
          entries.forEach(function (e) {
            var multiplier = e.entry[2] * fieldWeight[field] * e.weight * clause.boost;
            var list = postings(e.entry, field);
            var docs = list.docs, values = list.values;
            var exact = e.exact, wholeBit = exact && wanted > 0 && wanted <= wholeMax ? wanted - 1 : -1;
            for (var i = 0; i < docs.length; i++) {
              var doc = docs[i], value = values[i];
              var points = multiplier * lengths[(value >> 2) & 15] * (value >> 11 ? 5 : 4);
              if (inField[doc] === 0) fieldTouched[fieldCount++] = doc;
              if (points > inField[doc]) inField[doc] = points;
              flags[doc] = value & 3;
              if (exact) {
                asTyped[doc] = 1;
                if (wholeBit >= 0 && (((value >> 6) & 31) >> wholeBit) & 1) {
                  var length = ((value >> 2) & 15) + 1;
                  if (inWhole[doc] === 0 || length < inWhole[doc]) inWhole[doc] = length;
                }
              }
            }
          });
          var weight = fieldClass[field];
          for (var i = 0; i < fieldCount; i++) {
            var doc = fieldTouched[i], points = inField[doc];
            inField[doc] = 0;
            if (field === 0 && clause.presence !== 3) a.inTitle[doc]++;   // this word of the query is in the title (or plain name)
            if (best[doc] === 0) touched[touchedCount++] = doc;
            best[doc] += points;
            if (points > top[doc]) top[doc] = points;
            if (weight > bestClass[doc]) bestClass[doc] = weight;
          }
        });
        var wholeClause = whole.terms.has(clause.term);
        var presence = clause.presence;
        if (presence === 2) requiredClauses++;
        for (var t = 0; t < touchedCount; t++) {
          var doc = touched[t];
          var points = best[doc] + extra * top[doc];
          if (!a.seen[doc]) { a.seen[doc] = 1; all[allCount++] = doc; }
          if (presence === 3) {
            a.prohibited[doc] = 1;
          } else {
            if (presence === 2) a.required[doc]++;
            a.weakest[doc] = a.coverage[doc] === 0 ? bestClass[doc] : Math.min(a.weakest[doc], bestClass[doc]);
            a.coverage[doc]++;
            a.score[doc] += points;
            if (asTyped[doc]) a.exactly[doc]++;
            if (wholeClause) {
              for (var f = 0; f < fieldTotal; f++) {
                var length = a.inWhole[f][doc];
                if (length) {
                  a.wholeCount[f][doc]++;
                  if (length > a.wholeLength[f][doc]) a.wholeLength[f][doc] = length;
                }
              }
            }
          }
          best[doc] = 0; top[doc] = 0; bestClass[doc] = 0; asTyped[doc] = 0;
          for (var g = 0; g < fieldTotal; g++) a.inWhole[g][doc] = 0;
        }
      });
      // A whole phrase: each word in a phrase of the query's length, in one field; the shortest such phrase wins.
      var needed = whole.terms.size;
      var docs = [];
      var tier = a.tier;
      var plain = filters.systems === null;
      for (var d = 0; d < allCount; d++) {
        var doc = all[d];
        if (a.coverage[doc] === 0 || a.prohibited[doc] || (requiredClauses !== 0 && a.required[doc] !== requiredClauses)) continue;
        var flag = flags[doc];
        if (plain ? (filters.billableOnly && !(flag & 2)) || !(filters.includeTerminated || flag & 1)
            : !filters.keep(systemOf(doc).key, flag)) continue;
        var length = 16;
        if (needed) {
          for (var f = 0; f < fieldTotal; f++) {
            if (a.wholeCount[f][doc] === needed) length = Math.min(length, a.wholeLength[f][doc] - 1);
          }
        }
        docs.push(doc);
        // words matched, whole phrase (shortest first), words as typed, billable whole phrase, weakest field
        tier[doc] = (((a.coverage[doc] * 32 + (16 - length)) * 256 + a.exactly[doc]) * 2
          + (length < 16 ? flag >> 1 : 0)) * 4 + a.weakest[doc];
      }
      var total = docs.length;
      docs = rankFirst(docs, tier, a.score, a.flags, limit);
      // The docs the query matched as a whole phrase among other names (field 1: synonyms) and not wholly in the title.
      // (Only for words matched as typed: a corrected typo is not what the code is also called.)
      var otherNames = {};
      // (Not for a query written in lunr's syntax: it is not a name.)
      var asTyped = counted.every(function (clause) { return matched.has(clause.term); }) && !SYNTAX.test(query);
      if (needed && asTyped) docs.forEach(function (doc) {
        if (a.wholeCount[1][doc] === needed && a.inTitle[doc] < counted.length) otherNames[doc] = true;
      });
      for (var r = 0; r < allCount; r++) {
        var doc = all[r];
        a.coverage[doc] = 0; a.exactly[doc] = 0; a.weakest[doc] = 0; a.score[doc] = 0; flags[doc] = 0;
        a.required[doc] = 0; a.prohibited[doc] = 0; a.seen[doc] = 0; tier[doc] = 0; a.inTitle[doc] = 0;
        for (var f = 0; f < fieldTotal; f++) { a.wholeCount[f][doc] = 0; a.wholeLength[f][doc] = 0; }
      }
      return { docs: docs, total: total, terms: Array.from(matched).sort(), otherNames: otherNames };
    });
  }

  // --- the query --------------------------------------------------------------------------------

  function hitsOf(ranked, limit) {
    return Promise.all(ranked.slice(0, limit).map(function (pair) {
      var system = systemOf(pair[0]);
      var position = pair[0] - system.base;
      return chunkOf(system, position).then(function (chunk) {
        var offset = position % manifest.chunk;
        var flags = chunk.f.charCodeAt(offset) - 48;
        var code = chunk.c[offset];
        return {
          system: system.key, code: code, title: chunk.t[offset], name: chunk.n[offset],
          url: chunk.u[String(offset)] || system.key + "/" + code + ".html",
          billable: !!(flags & 2), active: !!(flags & 1), kind: pair[1], matched: pair[2] || "",
        };
      });
    }));
  }

  /** Answer a query: {query, total, hits, terms, error}. Same results as `python -m generator search`. */
  var QUERY_WORDS = 32;

  /** The query as searched (twin of search_query.normalised_query): a word typed twice counts once, at most 32 words. */
  function normalisedQuery(query) {
    var seen = {}, kept = [];
    query.split(/\s+/).forEach(function (word) {
      if (word && !seen[word.toUpperCase()]) { seen[word.toUpperCase()] = true; kept.push(word); }
    });
    var notice = null;
    if (kept.length > QUERY_WORDS) { kept = kept.slice(0, QUERY_WORDS); notice = "Only the first " + QUERY_WORDS + " words were searched."; }
    return [kept.join(" "), notice];
  }

  /** What search says of a range whose ends are codes of different systems (twin of search_query.range_notice). */
  function rangeNotice(query) {
    var match = RANGE.exec(query.trim().toUpperCase());
    if (!match) return null;
    var typed = [match[1], match[2]], keys = typed.map(codeKey);
    if (!keys.every(function (key) { return /[0-9]/.test(key); })) return null;
    var systemsOf = keys.map(function (key, index) {
      // Only ICD-10-CM codes have dots; else the systems whose whole codes have this length, if any.
      var shaped = manifest.systems.filter(function (system) {
        return new RegExp(system.pattern).test(key) && (typed[index].indexOf(".") < 0 || system.key === "icd10cm");
      });
      var whole = shaped.filter(function (system) { return (system.lengths || []).indexOf(key.length) >= 0; });
      if (!whole.length) whole = shaped;
      // A retired code set (ICD-9-CM) is named only when no current one has codes of this shape.
      var current = whole.filter(function (system) { return !system.retired; });
      return current.length ? current : whole;
    });
    if (!systemsOf[0].length || !systemsOf[1].length) return null;
    if (systemsOf[0].some(function (system) { return systemsOf[1].indexOf(system) >= 0; })) return null;
    var names = systemsOf.map(function (systems) {
      return systems.map(function (system) { return system.name || system.key; }).join(" or ");
    });
    // "an ICD-10-CM code", "a CPT code" (the names are read letter by letter).
    var articles = names.map(function (name) { return /^[AEFHILMNORSX]/.test(name) && name.indexOf("HCPCS") !== 0 ? "an" : "a"; });
    return typed[0] + " is " + articles[0] + " " + names[0] + " code and " + typed[1] + " " + articles[1] + " " + names[1] +
      " code: a range stays within one code system, so no code lies between them. Search each code on its own.";
  }

  function search(query, options, limit) {
    var filters = new Filters(options);
    limit = limit || 10;
    var result = { query: query, total: 0, hits: [], terms: [], error: null, missingCode: null, newRecord: null, notice: null };
    if (!query.trim()) return Promise.resolve(result);
    var normal = normalisedQuery(query);
    query = normal[0];
    result.notice = normal[1];
    var across = null;
    return ready().then(function () {
      across = rangeNotice(query);
      var notices = [result.notice, across].filter(function (notice) { return notice; });
      result.notice = notices.length ? notices.join(" ") : null;
      if (across) return { ranked: [], total: 0 };   // no code lies between the ends, and the range is not words either
      return codeHits(query, filters);
    }).then(function (codes) {
      if (across) return codes;
      if (codes.ranked.length) return codes;
      var words;
      try {
        words = wordHits(query, filters, limit);
      } catch (error) {
        if (error instanceof lunr.QueryParseError) { result.error = "cannot read the query: " + error.message; return null; }
        throw error;
      }
      return words.then(function (found) {
        result.terms = found.terms;
        return { ranked: found.docs.map(function (doc) { return [doc, "words", found.otherNames[doc] ? query : ""]; }),
                 total: found.total };
      });
    }).then(function (found) {
      if (!found) return result;
      result.total = found.total;
      if (found.ranked.length && found.ranked[0][1] === "family") {
        result.missingCode = codeKey(query);
        result.newRecord = manifest.newRecord ? manifest.newRecord.split("__CODE__").join(result.missingCode) : null;
      }
      return hitsOf(found.ranked, limit).then(function (hits) { result.hits = hits; return result; });
    });
  }

  // --- user interface ---------------------------------------------------------------------------

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /** ``text`` with the words whose term was matched wrapped in <mark>. */
  function highlighted(text, terms) {
    var fragment = document.createDocumentFragment();
    text.split(/([^A-Za-z0-9\u00C0-\u024F']+)/).forEach(function (part) {
      if (!part) return;
      var found = words(part);
      var hit = found.length === 1 && (terms.has(analyse(found[0])) || terms.has(found[0]));
      fragment.appendChild(hit ? element("mark", { text: part }) : document.createTextNode(part));
    });
    return fragment;
  }

  function resultItem(hit, terms, id) {
    var notes = [];
    if (!hit.billable && hit.active) notes.push("not billable");
    if (!hit.active) notes.push(INACTIVE_NOTES[hit.system] || "terminated");   // twin of format_result
    var title = element("div", { class: "omcs-result__title" });
    title.appendChild(highlighted(hit.title, terms));
    var name = null;
    if (hit.name) { name = element("div", { class: "omcs-result__name" }); name.appendChild(highlighted(hit.name, terms)); }
    var code = element("span", { class: "omcs-result__code" });
    if (hit.kind === "words") code.textContent = hit.code;
    else code.appendChild(element("mark", { text: hit.code }));
    return element("li", { class: "md-search-result__item omcs-result", role: "option", id: id, "aria-selected": "false" }, [
      element("a", { class: "md-search-result__link", href: SITE + hit.url, tabindex: "-1", "data-code": hit.system + ":" + hit.code }, [
        element("article", { class: "md-search-result__article md-typeset omcs-result__body" }, [
          element("div", { class: "omcs-result__head" }, [
            code,
            element("span", { class: "omcs-badge omcs-badge--" + hit.system, text: NAMES[hit.system] || hit.system }),
            notes.length ? element("span", { class: "omcs-result__note", text: notes.join(", ") }) : null,
          ]),
          title,
          name,
          hit.matched ? element("div", { class: "omcs-result__why", text: "Matched as another name: \u201c" + hit.matched + "\u201d" }) : null,
        ]),
      ]),
    ]);
  }

  /** "1 result", "1,234 results" (not toLocaleString: its first call sets up number formatting, ~15 ms). */
  function plural(count, one, many) {
    return String(count).replace(/\B(?=(\d{3})+$)/g, ",") + " " + (count === 1 ? one : many);
  }

  var instances = 0;

  /**
   * One search box with its results: the header search (compact) or the search page (full).
   * ``root`` holds an <input data-omc-search-input>, an element [data-omc-search-meta],
   * an <ol data-omc-search-list> and optionally [data-omc-search-filters].
   */
  function SearchBox(root, options) {
    var self = this;
    this.id = "omc-search-" + (++instances);
    this.root = root;
    this.page = !!options.page;
    this.input = root.querySelector("[data-omc-search-input]");
    this.meta = root.querySelector("[data-omc-search-meta]");
    this.list = root.querySelector("[data-omc-search-list]");
    this.more = root.querySelector("[data-omc-search-more]");
    this.limit = this.page ? 50 : 20;
    this.sequence = 0;
    this.shown = 0;   // the sequence number of the query whose results are on screen
    this.active = -1;
    this.filters = { systems: [], billableOnly: false, includeTerminated: false };
    this.list.id = this.list.id || this.id + "-list";
    this.list.setAttribute("role", "listbox");
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    var filterHolder = root.querySelector("[data-omc-search-filters]");
    if (filterHolder) this.buildFilters(filterHolder);
    this.input.addEventListener("focus", function () { ready().catch(function () {}); self.open(true); });
    this.input.addEventListener("input", function (event) { self.started = event.timeStamp; self.run(); });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    // Tabbing out of the box (to anything outside it) closes the dropdown, as Esc does.
    root.addEventListener("focusout", function (event) {
      if (!self.page && event.relatedTarget && !root.contains(event.relatedTarget)) self.open(false);
    });
    if (this.more) this.more.addEventListener("click", function () { self.limit += 50; self.run(); });
    var form = this.input.form;
    if (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); self.follow(); });
      form.addEventListener("reset", function () { setTimeout(function () { self.run(); self.input.focus(); }, 0); });
    }
  }

  SearchBox.prototype.buildFilters = function (holder) {
    var self = this;
    var select = element("select", { class: "omcs-filter__system", "aria-label": "Code system", "data-omc-filter": "system" }, [
      element("option", { value: "", text: "All code systems" }),
    ]);
    ["icd10cm", "cpt", "hcpcs", "icd10pcs"].forEach(function (key) {
      select.appendChild(element("option", { value: key, text: NAMES[key] }));
    });
    var billable = element("input", { type: "checkbox", "data-omc-filter": "billable" });
    var terminated = element("input", { type: "checkbox", "data-omc-filter": "terminated" });
    holder.appendChild(select);
    holder.appendChild(element("label", { class: "omcs-filter" }, [billable, document.createTextNode(" Billable only")]));
    holder.appendChild(element("label", { class: "omcs-filter" }, [terminated, document.createTextNode(" Include terminated")]));
    this.controls = { system: select, billable: billable, terminated: terminated };
    [select, billable, terminated].forEach(function (control) {
      control.addEventListener("change", function () {
        self.filters = {
          systems: select.value ? [select.value] : [],
          billableOnly: billable.checked,
          includeTerminated: terminated.checked,
        };
        self.started = performance.now();
        self.run();
      });
    });
  };

  SearchBox.prototype.setFilters = function (filters) {
    this.filters = filters;
    if (!this.controls) return;
    this.controls.system.value = filters.systems.length ? filters.systems[0] : "";
    this.controls.billable.checked = filters.billableOnly;
    this.controls.terminated.checked = filters.includeTerminated;
  };

  SearchBox.prototype.open = function (state) {
    if (this.page) return;
    var toggle = document.getElementById("__search");
    if (toggle && toggle.checked !== state) {
      toggle.checked = state;
      toggle.dispatchEvent(new Event("change"));
    }
    this.root.classList.toggle("omcs-open", state);
    this.input.setAttribute("aria-expanded", state ? "true" : "false");
  };

  SearchBox.prototype.items = function () { return this.list.querySelectorAll(".omcs-result"); };

  /** Make result ``index`` the active one (-1: none) and bring it into view, unless ``scroll`` is false (the
   *  first result of a list just painted is in view: scrolling to it would lay the page out at once). */
  SearchBox.prototype.select = function (index, scroll) {
    var items = this.items();
    if (!items.length) { this.active = -1; return; }
    index = Math.max(-1, Math.min(index, items.length - 1));
    this.active = index;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      items[i].classList.toggle("omcs-result--active", i === index);
    }
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", items[index].id);
      if (scroll !== false) items[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  SearchBox.prototype.follow = function () {
    var items = this.items();
    var item = items[this.active >= 0 ? this.active : 0];
    if (item) { window.location.href = item.querySelector("a").href; return; }
    if (!this.page && this.input.value.trim()) {
      window.location.href = SITE + "search.html?q=" + encodeURIComponent(this.input.value);
    }
  };

  SearchBox.prototype.key = function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); this.select(this.active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); this.select(this.active - 1); }
    else if (event.key === "Enter") { event.preventDefault(); this.follow(); }
    else if (event.key === "Escape") {
      event.preventDefault();
      if (this.page) { this.input.value = ""; this.run(); return; }
      this.open(false);
      this.input.blur();
    }
  };

  SearchBox.prototype.run = function () {
    var self = this;
    var query = this.input.value;
    var sequence = ++this.sequence;
    var started = this.started || performance.now();
    this.started = null;
    if (this.page) this.share(query);
    if (!query.trim()) {
      this.shown = sequence;   // no earlier answer may come back over the emptied box
      this.list.textContent = "";
      this.meta.textContent = "Type a code (E11.65, 0DTJ4ZZ, J9035), a code prefix or range (E11.6, 96401-96549) or words.";
      if (this.more) this.more.hidden = true;
      this.active = -1;
      return Promise.resolve(null);
    }
    return search(query, this.filters, this.limit).then(function (result) {
      // While typing, the answer to an earlier prefix is shown if nothing newer has been shown yet: results
      // appear as soon as any part of the typing is answered, and a later answer always replaces it.
      if (sequence <= self.shown) return result;
      self.shown = sequence;
      self.paint(result);
      // The time is taken once the results are laid out (reading a size lays the page out now, which the
      // browser would otherwise do before the next frame): what it measures is what a visitor waits for.
      void self.root.offsetHeight;
      var painted = performance.now();
      OMCSearch.timings.push({ query: query, ms: painted - started });
      self.root.setAttribute("data-omc-done", String(sequence));
      self.root.setAttribute("data-omc-query", query);
      return result;
    }).catch(function (error) {
      if (sequence !== self.sequence) return null;
      self.shown = sequence;   // no earlier answer may come back over the message
      self.list.textContent = "";
      self.meta.textContent = "Search is not available: " + error.message;
      self.root.setAttribute("data-omc-done", String(sequence));
      return null;
    });
  };

  SearchBox.prototype.paint = function (result) {
    var self = this;
    var terms = new Set(result.terms);
    // Whether the list had been scrolled down (by keys or the wheel): then its first result is brought into view.
    var scroller = this.list.closest(".md-search__scrollwrap") || this.list;
    var moved = this.active > 0 || scroller.scrollTop > 0;
    this.list.textContent = "";
    if (result.error) {
      this.meta.textContent = result.error;
    } else if (!result.total) {
      this.meta.textContent = "No codes match." + (result.notice ? " " + result.notice : "");
    } else if (result.missingCode && result.hits.length) {
      this.meta.textContent = missingNotice(NAMES[result.hits[0].system] || result.hits[0].system, result.missingCode, result.hits[0]);
      if (result.newRecord) {
        this.meta.appendChild(document.createTextNode(" "));
        this.meta.appendChild(element("a", { href: result.newRecord, text: "Write one in your own words \u2192" }));
      }
    } else {
      var kind = result.hits.length ? result.hits[0].kind : "words";
      var what = kind === "exact" || kind === "prefix" ? " (codes in code order)" : kind === "range" ? " in the range" : "";
      this.meta.textContent = plural(result.total, "result", "results") + what
        + (result.hits.length < result.total ? ", showing " + result.hits.length : "")
        + (result.notice ? ". " + result.notice : "");
    }
    result.hits.forEach(function (hit, index) { self.list.appendChild(resultItem(hit, terms, self.id + "-" + index)); });
    if (this.more) this.more.hidden = result.hits.length >= result.total;
    this.active = -1;
    if (!this.page && result.hits.length) this.select(0, moved);
  };

  SearchBox.prototype.share = function (query) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (this.filters.systems.length) params.set("system", this.filters.systems[0]);
    if (this.filters.billableOnly) params.set("billable", "1");
    if (this.filters.includeTerminated) params.set("terminated", "1");
    var text = params.toString();
    try {
      history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
    } catch (error) { /* some browsers refuse this for file:// pages */ }
  };

  /** Once the page has loaded and the browser is idle, fetch the manifest (the one file every search needs
   *  first), so that a visitor's first search starts with its own files instead of waiting for it. */
  function prefetchManifest() {
    var idle = window.requestIdleCallback || function (callback) { return setTimeout(callback, 1); };
    function soon() { idle(function () { ready().catch(function () {}); }, { timeout: 2000 }); }
    if (document.readyState === "complete") soon();
    else window.addEventListener("load", soon);
  }

  function start() {
    var boxes = document.querySelectorAll("[data-omc-search]");
    if (boxes.length) prefetchManifest();
    boxes.forEach(function (root) {
      if (root.omcSearch) return;
      var box = new SearchBox(root, { page: root.hasAttribute("data-omc-search-page") });
      root.omcSearch = box;
      if (box.page) {
        var params = new URLSearchParams(window.location.search);
        box.setFilters({
          systems: params.get("system") ? [params.get("system")] : [],
          billableOnly: params.get("billable") === "1",
          includeTerminated: params.get("terminated") === "1",
        });
        box.input.value = params.get("q") || "";
        box.run();
      } else {
        var toggle = document.getElementById("__search");
        if (toggle) {
          toggle.addEventListener("change", function () {
            box.root.classList.toggle("omcs-open", toggle.checked);
            if (toggle.checked && document.activeElement !== box.input) box.input.focus();
          });
        }
      }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/" || event.key === "s" || event.key === "f") {
        var input = document.querySelector("[data-omc-search-page] [data-omc-search-input]")
          || document.querySelector("[data-omc-search] [data-omc-search-input]");
        if (input) { event.preventDefault(); event.stopImmediatePropagation(); input.focus(); }
      }
    }, true);
  }

  window.OMCSearch = {
    search: search,
    ready: ready,
    requested: requested,
    timings: [],
    words: words,
    analyse: analyse,
    codeKey: codeKey,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
