/* viewer.js: the twsim viewer (written for twsim; no third-party code).
 *
 * The data: each <script type="application/json" class="twsim-trace"> holds
 * one trace as plots/html-data.c writes it:
 *   name, events (in the trace), shown (kept here), t_end,
 *   hosts, kinds, strs: string tables (indices below; -1 = none),
 *   ev:  [t, kind, host, text, rule*, verdict*, why*, seg, copy, conn, inc]
 *   seg: [order, kind, t, arrive, host, src*, dst*, flags*, link*, seg, seq,
 *         ack, len, win, seg_conn, seg_inc, copy, rexmit, conn, inc, stale]
 *   st:  [order, host, conn, inc, from*, to*, why*, local*, remote*, name*]
 *        (name: the connection as people read it, "client #2 (a > b)")
 * (* = index into strs, turned into the string, or null, on loading)
 * Trace strings are only ever shown through textContent.
 *
 * Test hooks: URL parameters ?step=N (go to event N), ?verdict=NAME (go
 * to the first verdict.NAME), ?seg=ID or ?seg=ID.COPY (select that
 * segment), and window.twsim (go, step, nextVerdict, selectSegment). */
(function () {
  "use strict";

  var ROW = 26;          /* px between consecutive instants at the median spacing */
  var COL_W = 230;       /* px between host columns */
  var MARGIN = 90;       /* px left of the first column */
  var SVGNS = "http://www.w3.org/2000/svg";

  var CATEGORIES = [
    ["normal", "segment"],
    ["rexmit", "retransmission"],
    ["delayed", "delayed or held (link)"],
    ["duplicate", "duplicate (link copy)"],
    ["stale", "stale (older incarnation), accepted or not"],
    ["dropped", "dropped (X where lost)"]
  ];

  /* RFC 9293 Figure 5: nodes and the transitions it draws. */
  var NODES = {
    "CLOSED": [150, 18], "LISTEN": [150, 72],
    "SYN-RECEIVED": [62, 130], "SYN-SENT": [238, 130],
    "ESTABLISHED": [150, 188],
    "FIN-WAIT-1": [62, 250], "CLOSE-WAIT": [238, 250],
    "FIN-WAIT-2": [62, 312], "CLOSING": [150, 312], "LAST-ACK": [238, 312],
    "TIME-WAIT": [100, 374], "CLOSED ": [238, 374]
  };
  var SHORT = { "SYN-RECEIVED": "SYN-RCVD", "ESTABLISHED": "ESTAB", "CLOSED ": "CLOSED" };
  var EDGES = [
    ["CLOSED", "LISTEN", "passive OPEN / create TCB"],
    ["LISTEN", "CLOSED", "CLOSE / delete TCB"],
    ["CLOSED", "SYN-SENT", "active OPEN / create TCB, snd SYN"],
    ["LISTEN", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK"],
    ["LISTEN", "SYN-SENT", "SEND / snd SYN"],
    ["SYN-SENT", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK"],
    ["SYN-SENT", "ESTABLISHED", "rcv SYN,ACK / snd ACK"],
    ["SYN-SENT", "CLOSED", "CLOSE / delete TCB"],
    ["SYN-RECEIVED", "ESTABLISHED", "rcv ACK of SYN"],
    ["SYN-RECEIVED", "FIN-WAIT-1", "CLOSE / snd FIN"],
    ["ESTABLISHED", "FIN-WAIT-1", "CLOSE / snd FIN"],
    ["ESTABLISHED", "CLOSE-WAIT", "rcv FIN / snd ACK"],
    ["FIN-WAIT-1", "FIN-WAIT-2", "rcv ACK of FIN"],
    ["FIN-WAIT-1", "CLOSING", "rcv FIN / snd ACK"],
    ["FIN-WAIT-2", "TIME-WAIT", "rcv FIN / snd ACK"],
    ["CLOSING", "TIME-WAIT", "rcv ACK of FIN"],
    ["CLOSE-WAIT", "LAST-ACK", "CLOSE / snd FIN"],
    ["LAST-ACK", "CLOSED ", "rcv ACK of FIN / delete TCB"],
    ["TIME-WAIT", "CLOSED ", "Timeout=2MSL / delete TCB"]
  ];

  /* ---- small helpers ---- */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    return e;
  }

  function fmtT(ns) {
    var digits = ns % 1000000 === 0 ? 3 : ns % 1000 === 0 ? 6 : 9;
    return (ns / 1e9).toFixed(digits) + " s";
  }

  function fmtDur(ns) {
    if (ns >= 1e9) return (ns / 1e9).toFixed(3) + " s";
    return (ns / 1e6).toFixed(3) + " ms";
  }

  function lowerBound(arr, v) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] < v) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* ---- the model of one trace ---- */

  function resolve(rows, columns, strs) {
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      for (var k = 0; k < columns.length; k++) {
        var c = columns[k];
        r[c] = r[c] >= 0 ? strs[r[c]] : null;
      }
    }
  }

  function Model(d) {
    this.d = d;
    this.hosts = d.hosts;
    this.kinds = d.kinds;
    this.ev = d.ev;
    this.segByOrder = {};
    this.stByOrder = {};
    this.segEvents = {};     /* seg id -> [event index] */
    this.verdicts = [];      /* event indices of verdict.* */
    var i;
    resolve(d.ev, [4, 5, 6], d.strs);
    resolve(d.seg, [5, 6, 7, 8], d.strs);
    resolve(d.st, [4, 5, 6, 7, 8, 9], d.strs);
    for (i = 0; i < d.seg.length; i++) this.segByOrder[d.seg[i][0]] = d.seg[i];
    for (i = 0; i < d.st.length; i++) this.stByOrder[d.st[i][0]] = d.st[i];
    for (i = 0; i < this.ev.length; i++) {
      var e = this.ev[i];
      if (e[7] > 0) (this.segEvents[e[7]] = this.segEvents[e[7]] || []).push(i);
      if (this.kind(i).indexOf("verdict.") === 0) this.verdicts.push(i);
    }
    this.colW = COL_W;
    this.buildColumns();
    this.buildArrows();
    this.buildAxis();
    this.buildConnections();
    this.buildPlaces();
  }

  Model.prototype.kind = function (i) { return this.kinds[this.ev[i][1]]; };
  Model.prototype.host = function (i) { var h = this.ev[i][2]; return h >= 0 ? this.hosts[h] : null; };
  Model.prototype.t = function (i) { return this.ev[i][0]; };

  Model.prototype.isLink = function (k) {
    return k === "link.send" || k === "link.dup" || k === "link.delay" || k === "link.drop" || k === "net.drop";
  };

  /* Columns: as the gnuplot ladder, hosts in order of first appearance on a
   * link (sender, then receiver), then hosts that only change state. */
  Model.prototype.buildColumns = function () {
    var self = this;
    this.endpoints = {};
    this.columns = [];
    this.colOf = {};
    function add(h) {
      if (h === null || h === undefined || Object.prototype.hasOwnProperty.call(self.colOf, h)) return;
      self.colOf[h] = self.columns.length;
      self.columns.push(h);
    }
    var s, i;
    for (i = 0; i < this.d.seg.length; i++) {
      s = this.d.seg[i];
      var h = s[4] >= 0 ? this.hosts[s[4]] : null;
      if (s[1] === "tcp.send" && h !== null) this.endpoints[s[5]] = h;
      if (s[1] === "tcp.recv" && h !== null) this.endpoints[s[6]] = h;
    }
    for (i = 0; i < this.d.seg.length; i++) {
      s = this.d.seg[i];
      if (!this.isLink(s[1])) continue;
      add(s[4] >= 0 ? this.hosts[s[4]] : this.endpoints[s[5]]);
      add(this.receiver(s));
    }
    for (i = 0; i < this.d.st.length; i++) add(this.hosts[this.d.st[i][1]]);
    for (i = 0; i < this.hosts.length; i++) add(this.hosts[i]);
  };

  Model.prototype.receiver = function (s) {
    if (s[8] !== null) {
      var at = s[8].indexOf("->");
      if (at >= 0) return s[8].slice(at + 2);
    }
    return this.endpoints[s[6]] || null;
  };

  Model.prototype.category = function (a) {
    if (a.stale) return "stale";
    if (a.dropped) return "dropped";
    if (a.copy > 0) return "duplicate";
    if (a.delayed) return "delayed";
    if (a.rexmit) return "rexmit";
    return "normal";
  };

  /* Arrows as the gnuplot ladder draws them: one per copy put on a link,
   * from the sender's column at send time to the receiver's at arrival;
   * drops end half way in an X; link.delay moves the arrival. */
  Model.prototype.buildArrows = function () {
    var arrows = [], last = {}, delays = {}, i, s, a;
    for (i = 0; i < this.d.seg.length; i++) {
      s = this.d.seg[i];
      var k = s[1], key = s[9] + "/" + s[16];
      if (!this.isLink(k)) continue;
      if ((k === "link.send" || k === "link.dup") && s[8] !== null && delays[s[8]] === undefined)
        delays[s[8]] = s[3] - s[2];
      if (k === "link.delay" && last[key] !== undefined) {
        a = arrows[last[key]];
        a.t1 = s[3];
        a.delayed = true;
        a.orders.push(s[0]);
        continue;
      }
      var from = s[4] >= 0 ? this.hosts[s[4]] : this.endpoints[s[5]];
      var to = this.receiver(s);
      a = {
        seg: s[9], copy: s[16], order: s[0], orders: [s[0]], row: s, from: from, to: to,
        t0: s[2], t1: s[3] >= 0 ? s[3] : s[2] + ((s[8] !== null && delays[s[8]]) || 0),
        dropped: k === "link.drop" || k === "net.drop", delayed: k === "link.delay",
        rexmit: s[17] === 1, stale: false, recv: -1
      };
      last[key] = arrows.length;
      arrows.push(a);
    }
    var byKey = {};
    for (i = 0; i < arrows.length; i++) byKey[arrows[i].seg + "/" + arrows[i].copy + "/" + arrows[i].t1] = arrows[i];
    for (i = 0; i < this.d.seg.length; i++) {
      s = this.d.seg[i];
      if (s[1] !== "tcp.recv") continue;
      a = byKey[s[9] + "/" + s[16] + "/" + s[2]];
      if (a === undefined) continue;
      a.recv = s[0];
      a.recvRow = s;
      if (s[20] === 1) a.stale = true;
    }
    this.arrowByOrder = {};
    for (i = 0; i < arrows.length; i++) {
      arrows[i].cat = this.category(arrows[i]);
      arrows[i].index = i;
      for (var j = 0; j < arrows[i].orders.length; j++) this.arrowByOrder[arrows[i].orders[j]] = arrows[i];
      if (arrows[i].recv >= 0) this.arrowByOrder[arrows[i].recv] = arrows[i];
    }
    this.arrows = arrows;
  };

  /* Arrows and state changes by position, to draw only those in view. */
  Model.prototype.buildPlaces = function () {
    var n = this.arrows.length, i;
    this.arrowY0 = new Float64Array(n);
    this.maxDy = 0;
    for (i = 0; i < n; i++) {
      var a = this.arrows[i];
      a.y0 = this.y(a.t0);
      a.y1 = this.y(a.t1);
      this.arrowY0[i] = a.y0;
      this.maxDy = Math.max(this.maxDy, a.y1 - a.y0);
    }
    this.stateY = new Float64Array(this.d.st.length);
    for (i = 0; i < this.d.st.length; i++) this.stateY[i] = this.y(this.t(this.d.st[i][0]));
  };

  /* Time runs down; idle stretches much longer than the usual spacing (more
   * than 10x the median gap between instants) are cut short and drawn as a
   * grey band saying how long they were, as in the gnuplot ladder. */
  Model.prototype.buildAxis = function () {
    var times = [], i, prev = null;
    for (i = 0; i < this.ev.length; i++) {
      if (this.ev[i][0] !== prev) times.push(this.ev[i][0]);
      prev = this.ev[i][0];
    }
    var gaps = [];
    for (i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
    var sorted = Float64Array.from(gaps).sort();
    var median = Math.max(1, sorted.length ? sorted[sorted.length >> 1] : 1);
    var scale = ROW / median, ys = [ROW], cuts = [];
    for (i = 1; i < times.length; i++) {
      var g = gaps[i - 1], px;
      if (g > 10 * median && g * scale > 4 * ROW) {
        px = 3 * ROW;
        cuts.push({ y0: ys[i - 1], y1: ys[i - 1] + px, ns: g });
      } else {
        px = Math.max(0.8 * ROW, Math.min(g * scale, 10 * ROW));
      }
      ys.push(ys[i - 1] + px);
    }
    this.times = times;
    this.ys = ys;
    this.cuts = cuts;
    this.height = (ys.length ? ys[ys.length - 1] : 0) + 3 * ROW;
  };

  Model.prototype.y = function (t) {
    var k = lowerBound(this.times, t);
    if (k < this.times.length && this.times[k] === t) return this.ys[k];
    if (k === 0) return this.ys.length ? this.ys[0] : 0;
    if (k >= this.times.length) return this.ys[this.ys.length - 1] + ROW;
    var t0 = this.times[k - 1], t1 = this.times[k];
    return this.ys[k - 1] + (t - t0) / (t1 - t0) * (this.ys[k] - this.ys[k - 1]);
  };

  Model.prototype.colX = function (h) {
    var c = this.colOf[h];
    return MARGIN + (c === undefined ? 0 : c) * this.colW;
  };

  /* Connections per host, from the state changes. */
  Model.prototype.buildConnections = function () {
    this.conns = {};
    this.stByConn = {};
    for (var i = 0; i < this.d.st.length; i++) {
      var st = this.d.st[i], h = this.hosts[st[1]];
      (this.stByConn[h + "/" + st[2]] = this.stByConn[h + "/" + st[2]] || []).push(st);
      var list = this.conns[h] = this.conns[h] || [];
      var found = false;
      for (var j = 0; j < list.length; j++) if (list[j].conn === st[2]) found = true;
      if (!found) list.push({ conn: st[2], inc: st[3], local: st[7], remote: st[8], name: st[9] });
    }
    /* host -> indices of its events naming a connection that has states */
    this.connEvents = {};
    for (i = 0; i < this.ev.length; i++) {
      var e = this.ev[i];
      if (e[2] < 0 || e[9] < 0 || this.stByConn[this.hosts[e[2]] + "/" + e[9]] === undefined) continue;
      (this.connEvents[this.hosts[e[2]]] = this.connEvents[this.hosts[e[2]]] || []).push(i);
    }
  };

  /* The name of connection `conn` of `host` ("client #2 (a > b)"), or
   * `fallback` when it has no state. */
  Model.prototype.connName = function (host, conn, fallback) {
    var list = this.stByConn[host + "/" + conn];
    return list !== undefined && list[0][9] ? list[0][9] : fallback;
  };

  /* The connection shown for `host` at event `cur`: the latest event on the
   * host up to the cursor that names a connection which has a state. */
  Model.prototype.autoConn = function (host, cur) {
    var list = this.connEvents[host] || [];
    for (var k = lowerBound(list, cur + 1) - 1; k >= 0; k--) {
      var conn = this.ev[list[k]][9];
      if (this.stateAt(host, conn, cur) !== null) return conn;
    }
    return -1;
  };

  /* The last state change of connection `conn` on `host` at or before `cur`. */
  Model.prototype.stateAt = function (host, conn, cur) {
    var list = this.stByConn[host + "/" + conn];
    if (list === undefined) return null;
    for (var i = list.length - 1; i >= 0; i--) if (list[i][0] <= cur) return list[i];
    return null;
  };

  /* ---- a pane: one trace's ladder, diagrams and details ---- */

  function Pane(viewer, model, index) {
    this.viewer = viewer;
    this.m = model;
    this.index = index;
    this.cur = 0;
    this.selected = null;   /* arrow */
    this.choice = {};       /* host -> conn chosen in its menu, or -1 (auto) */
    this.root = el("section", "pane");
    this.root.setAttribute("data-pane", String(index));
    this.build();
  }

  Pane.prototype.build = function () {
    var m = this.m, self = this;
    var head = el("h2", "pane-title", m.d.name);
    this.root.appendChild(head);
    if (m.d.shown < m.d.events) {
      var t = m.ev.length ? fmtT(m.t(m.ev.length - 1)) : "0 s";
      this.root.appendChild(el("p", "left-out",
        "This trace has " + m.d.events + " events; the page shows the first " + m.d.shown +
        " (up to " + t + ") and leaves out the other " + (m.d.events - m.d.shown) +
        ". Keep more with `twsim html TRACE --max-events N`, or draw a later window with `twsim plot TRACE --from T --to T`."));
    }
    this.narration = el("div", "narration");
    this.narration.setAttribute("aria-live", "polite");
    this.root.appendChild(this.narration);
    this.timeline = this.buildTimeline();
    this.root.appendChild(this.timeline);
    var body = el("div", "pane-body");
    var left = el("div", "diagrams diagrams-left");
    var right = el("div", "diagrams diagrams-right");
    this.diagrams = {};
    var half = Math.ceil(m.columns.length / 2);
    for (var i = 0; i < m.columns.length; i++) {
      var dg = this.buildDiagram(m.columns[i]);
      (i < half ? left : right).appendChild(dg.root);
    }
    this.scroller = el("div", "ladder-scroll");
    this.scroller.tabIndex = 0;
    this.spacer = el("div", "ladder-spacer");
    this.spacer.style.height = m.height + "px";
    this.ladder = svg("svg", { "class": "ladder", width: String(MARGIN * 2 + (m.columns.length - 1) * COL_W) });
    this.scroller.appendChild(this.ladder);
    this.scroller.appendChild(this.spacer);
    this.scroller.addEventListener("scroll", function () { self.drawLadderSoon(); });
    body.appendChild(left);
    body.appendChild(this.scroller);
    body.appendChild(right);
    this.root.appendChild(body);
    this.details = el("div", "segment-details");
    this.details.appendChild(el("p", "hint", "Click a segment on the ladder for its fields, provenance and every decision taken on it."));
    this.root.appendChild(this.details);
  };

  Pane.prototype.buildTimeline = function () {
    var m = this.m, self = this;
    var bar = el("div", "timeline");
    bar.appendChild(el("span", "timeline-label", "verdicts"));
    var track = el("div", "timeline-track");
    this.cursorMark = el("div", "timeline-cursor");
    track.appendChild(this.cursorMark);
    for (var i = 0; i < m.verdicts.length; i++) {
      var ei = m.verdicts[i], name = m.kind(ei).slice("verdict.".length);
      var b = el("button", "verdict-marker verdict-" + name.replace(/[^a-z0-9]/gi, ""), name);
      b.setAttribute("data-event", String(ei));
      b.title = fmtT(m.t(ei)) + ": " + (m.ev[ei][3] || name);
      b.style.left = (100 * m.y(m.t(ei)) / m.height).toFixed(3) + "%";
      b.addEventListener("click", (function (target) {
        return function (ev) { ev.stopPropagation(); self.viewer.go(self, target); };
      })(ei));
      track.appendChild(b);
    }
    track.addEventListener("click", function (ev) {
      var r = track.getBoundingClientRect();
      var y = (ev.clientX - r.left) / r.width * m.height;
      self.viewer.go(self, self.eventAtY(y));
    });
    bar.appendChild(track);
    if (m.verdicts.length === 0) bar.appendChild(el("span", "timeline-none", "no verdicts in this run"));
    return bar;
  };

  Pane.prototype.eventAtY = function (y) {
    var m = this.m, k = lowerBound(m.ys, y);
    if (k >= m.times.length) k = m.times.length - 1;
    var t = m.times[Math.max(0, k)];
    for (var i = 0; i < m.ev.length; i++) if (m.ev[i][0] >= t) return i;
    return m.ev.length - 1;
  };

  /* The last event at or before virtual time t (0 if none). */
  Pane.prototype.eventAtTime = function (t) {
    var m = this.m, lo = 0, hi = m.ev.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (m.ev[mid][0] <= t) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo - 1);
  };

  Pane.prototype.buildDiagram = function (host) {
    var self = this, dg = { host: host, nodes: {}, edges: [] };
    dg.root = el("div", "diagram");
    dg.root.setAttribute("data-host", host);
    var title = el("div", "diagram-title");
    title.appendChild(el("span", "diagram-host", host));
    dg.menu = el("select", "diagram-conn");
    var auto = el("option", null, "connection: follow the cursor");
    auto.value = "-1";
    dg.menu.appendChild(auto);
    var list = this.m.conns[host] || [];
    for (var i = 0; i < list.length; i++) {
      var c = list[i];
      var o = el("option", null, c.name || "conn " + c.conn);
      o.value = String(c.conn);
      dg.menu.appendChild(o);
    }
    dg.menu.addEventListener("change", function () {
      self.choice[host] = parseInt(dg.menu.value, 10);
      self.render();
    });
    title.appendChild(dg.menu);
    dg.root.appendChild(title);
    var pic = svg("svg", { "class": "state-diagram", viewBox: "0 0 300 392", role: "img" });
    pic.appendChild(svg("title", {})).textContent = "RFC 9293 Figure 5: TCP connection state diagram, " + host;
    var defs = svg("defs", {});
    var mk = svg("marker", { id: "arr-" + this.index + "-" + host.replace(/[^a-z0-9]/gi, "_"), viewBox: "0 0 10 10", refX: "9", refY: "5",
                             markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" });
    mk.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", "class": "arrowhead" }));
    defs.appendChild(mk);
    pic.appendChild(defs);
    dg.markerId = mk.getAttribute("id");
    for (i = 0; i < EDGES.length; i++) dg.edges.push(this.drawEdge(pic, dg, EDGES[i][0], EDGES[i][1], EDGES[i][2], false));
    for (var name in NODES) {
      if (!Object.prototype.hasOwnProperty.call(NODES, name)) continue;
      var g = svg("g", { "class": "state-node", "data-state": name.trim() });
      var p = NODES[name];
      g.appendChild(svg("rect", { x: p[0] - 40, y: p[1] - 11, width: 80, height: 22, rx: 5 }));
      var tx = svg("text", { x: p[0], y: p[1] + 4, "text-anchor": "middle" });
      tx.textContent = SHORT[name] || name;
      g.appendChild(tx);
      pic.appendChild(g);
      dg.nodes[name] = g;
    }
    dg.extra = svg("g", { "class": "extra-edges" });
    pic.appendChild(dg.extra);
    dg.root.appendChild(pic);
    dg.caption = el("div", "diagram-state");
    dg.transition = el("div", "diagram-transition");
    dg.root.appendChild(dg.caption);
    dg.root.appendChild(dg.transition);
    this.diagrams[host] = dg;
    return dg;
  };

  Pane.prototype.drawEdge = function (pic, dg, from, to, label, extra) {
    var a = NODES[from], b = NODES[to];
    var dx = b[0] - a[0], dy = b[1] - a[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
    var ux = dx / len, uy = dy / len;
    /* leave the boxes: clip to a 40x11 half box */
    var ka = Math.min(40 / Math.max(Math.abs(ux), 1e-6), 11 / Math.max(Math.abs(uy), 1e-6));
    var off = extra ? -4 : 4, nx = -uy * off, ny = ux * off;
    var x1 = a[0] + ux * ka + nx, y1 = a[1] + uy * ka + ny, x2 = b[0] - ux * ka + nx, y2 = b[1] - uy * ka + ny;
    var g = svg("g", { "class": "state-edge" + (extra ? " extra" : ""), "data-from": from.trim(), "data-to": to.trim() });
    g.appendChild(svg("title", {})).textContent = from.trim() + " \u2192 " + to.trim() + ": " + label;
    g.appendChild(svg("line", { x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1),
                                "marker-end": "url(#" + dg.markerId + ")" }));
    var lab = svg("text", { x: ((x1 + x2) / 2).toFixed(1), y: ((y1 + y2) / 2 - 3).toFixed(1), "text-anchor": "middle", "class": "edge-label" });
    lab.textContent = label;
    g.appendChild(lab);
    (extra ? dg.extra : pic).appendChild(g);
    return { from: from, to: to, label: label, g: g };
  };

  /* ---- drawing the ladder (only what is in view) ---- */

  Pane.prototype.drawLadderSoon = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    window.requestAnimationFrame(function () { self.pending = false; self.drawLadder(); });
  };

  /* Redraws the part of the ladder in view: [lo, hi] in ladder pixels. */
  Pane.prototype.drawLadder = function () {
    var m = this.m, top = this.scroller.scrollTop, h = this.scroller.clientHeight || 600;
    var g = this.ladder, w = this.scroller.clientWidth || 2 * MARGIN + COL_W;
    m.colW = m.columns.length > 1 ? Math.max(COL_W, (w - 2 * MARGIN) / (m.columns.length - 1)) : COL_W;
    g.setAttribute("width", String(Math.max(w, 2 * MARGIN + (m.columns.length - 1) * m.colW)));
    while (g.firstChild) g.removeChild(g.firstChild);
    g.setAttribute("height", String(h));
    g.style.top = top + "px";
    var root = svg("g", { transform: "translate(0," + (-top) + ")" });
    g.appendChild(root);
    var lo = top - ROW, hi = top + h + ROW;
    this.drawCuts(root, lo, hi);
    this.drawColumns(root, lo, hi);
    this.drawArrows(root, lo, hi);
    this.drawStates(root, lo, hi);
    this.drawCursor(root);
    this.drawVerdicts(root, lo, hi);
  };

  Pane.prototype.drawCuts = function (root, lo, hi) {
    for (var i = 0; i < this.m.cuts.length; i++) {
      var c = this.m.cuts[i];
      if (c.y1 < lo || c.y0 > hi) continue;
      root.appendChild(svg("rect", { "class": "cut", x: 0, y: c.y0 + 4, width: "100%", height: c.y1 - c.y0 - 8 }));
      var ct = svg("text", { "class": "cut-label", x: 6, y: (c.y0 + c.y1) / 2 + 4 });
      ct.textContent = fmtDur(c.ns) + " cut (nothing new)";
      root.appendChild(ct);
    }
  };

  Pane.prototype.drawColumns = function (root, lo, hi) {
    for (var i = 0; i < this.m.columns.length; i++) {
      var x = this.m.colX(this.m.columns[i]);
      root.appendChild(svg("line", { "class": "column", x1: x, y1: lo, x2: x, y2: hi }));
    }
  };

  /* The current event's arrow (or, for an event about a segment, such as a
   * verdict, that segment's arrows) is drawn bold. */
  Pane.prototype.drawArrows = function (root, lo, hi) {
    var m = this.m, curArrow = m.arrowByOrder[this.cur], curSeg = curArrow !== undefined ? -1 : m.ev[this.cur][7];
    for (var i = lowerBound(m.arrowY0, lo - m.maxDy); i < m.arrows.length && m.arrowY0[i] <= hi; i++) {
      var a = m.arrows[i];
      if (a.y1 < lo) continue;
      this.drawArrow(root, a, a.y0, a.y1, a === curArrow || a.seg === curSeg, a === this.selected, a.order > this.cur);
    }
  };

  /* State names along the columns; changes at one instant stack down. */
  Pane.prototype.drawStates = function (root, lo, hi) {
    var m = this.m, stack = {};
    for (var i = lowerBound(m.stateY, lo); i < m.d.st.length && m.stateY[i] <= hi; i++) {
      var st = m.d.st[i], sy = m.stateY[i];
      var host = m.hosts[st[1]], sx = m.colX(host), left = m.colOf[host] === 0;
      var seen = stack[host];
      stack[host] = seen !== undefined && seen[0] === sy ? [sy, seen[1] + 1] : [sy, 0];
      var lab = svg("text", { "class": "state-label" + (st[0] > this.cur ? " future" : ""), x: left ? sx - 6 : sx + 6,
                              y: sy + 4 + 11 * stack[host][1], "text-anchor": left ? "end" : "start" });
      lab.textContent = st[5];
      root.appendChild(lab);
    }
  };

  Pane.prototype.drawCursor = function (root) {
    var m = this.m, cy = m.y(m.t(this.cur)), h0 = m.host(this.cur);
    root.appendChild(svg("line", { "class": "cursor", x1: 0, y1: cy, x2: "100%", y2: cy }));
    if (h0 !== null && m.colOf[h0] !== undefined)
      root.appendChild(svg("circle", { "class": "cursor-dot", cx: m.colX(h0), cy: cy, r: 5 }));
  };

  /* Verdicts on the reader's column, on the side away from the state names. */
  Pane.prototype.drawVerdicts = function (root, lo, hi) {
    var m = this.m, self = this;
    for (var i = 0; i < m.verdicts.length; i++) {
      var ve = m.verdicts[i], vy = m.y(m.t(ve)), vh = m.host(ve);
      if (vy < lo || vy > hi) continue;
      var vx = vh !== null ? m.colX(vh) + (m.colOf[vh] === 0 ? 14 : -14) : MARGIN / 2;
      var vm = svg("g", { "class": "ladder-verdict", "data-event": String(ve) });
      vm.appendChild(svg("circle", { cx: vx, cy: vy, r: 7 }));
      var vt = svg("text", { x: vx, y: vy + 4, "text-anchor": "middle" });
      vt.textContent = "!";
      vm.appendChild(vt);
      vm.appendChild(svg("title", {})).textContent = m.ev[ve][3] || m.kind(ve);
      vm.addEventListener("click", (function (target) { return function () { self.viewer.go(self, target); }; })(ve));
      root.appendChild(vm);
    }
  };

  Pane.prototype.drawArrow = function (root, a, y0, y1, current, selected, future) {
    var m = this.m, self = this;
    var x0 = m.colX(a.from), x1 = m.colX(a.to);
    if (a.dropped) x1 = (x0 + x1) / 2;
    var cls = "arrow cat-" + a.cat + (current ? " current" : "") + (selected ? " selected" : "") + (future ? " future" : "");
    var g = svg("g", { "class": cls, "data-seg": a.seg + "." + a.copy });
    g.appendChild(svg("line", { "class": "hit", x1: x0, y1: y0, x2: x1, y2: y1 }));
    g.appendChild(svg("line", { "class": "shaft", x1: x0, y1: y0, x2: x1, y2: y1 }));
    if (a.dropped) {
      g.appendChild(svg("path", { "class": "x", d: "M" + (x1 - 5) + "," + (y1 - 5) + "l10,10m0,-10l-10,10" }));
    } else {
      var dx = x1 - x0, dy = y1 - y0, len = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / len, uy = dy / len;
      var p = (x1 - ux * 9 - uy * 4) + "," + (y1 - uy * 9 + ux * 4) + " " + x1 + "," + y1 + " " + (x1 - ux * 9 + uy * 4) + "," + (y1 - uy * 9 - ux * 4);
      g.appendChild(svg("polygon", { "class": "head", points: p }));
    }
    /* Labels sit 30% along, as in the gnuplot ladder; on a long arrow, near
     * its arrival, where the cursor meets it. */
    var at = y1 - y0 > 150 ? (y1 - y0 - 30) / (y1 - y0) : 0.3;
    var s = a.row, lx = x0 + (x1 - x0) * at, ly = y0 + (y1 - y0) * at - 3;
    var anchor = at === 0.3 ? "middle" : x1 > x0 ? "end" : "start";
    var label = svg("text", { "class": "arrow-label", x: lx, y: ly, "text-anchor": anchor });
    label.textContent = s[7] + " " + s[10] + (s[12] > 0 ? ":" + (s[10] + s[12]) : "") + (s[7].indexOf("ACK") >= 0 ? " ack " + s[11] : "") +
      (s[15] > 1 ? " #" + s[15] : "") + (a.copy > 0 ? " (copy " + a.copy + ")" : "") +
      (a.stale ? " #" + s[15] + " STALE \u2192 #" + a.recvRow[19] : "");
    g.appendChild(label);
    g.addEventListener("click", function () { self.select(a); });
    root.appendChild(g);
  };

  /* ---- state of the pane at the cursor ---- */

  Pane.prototype.render = function () {
    this.renderNarration();
    this.renderDiagrams();
    this.cursorMark.style.left = (100 * this.m.y(this.m.t(this.cur)) / this.m.height).toFixed(3) + "%";
    this.drawLadder();
  };

  Pane.prototype.renderNarration = function () {
    var m = this.m, i = this.cur, n = this.narration, e = m.ev[i];
    while (n.firstChild) n.removeChild(n.firstChild);
    n.appendChild(el("span", "narr-index", "event " + i + " / " + (m.ev.length - 1)));
    n.appendChild(el("span", "narr-time", fmtT(e[0])));
    n.appendChild(el("span", "narr-host", m.host(i) === null ? "-" : m.host(i)));
    n.appendChild(el("span", "narr-kind", m.kind(i)));
    n.appendChild(el("span", "narr-text", e[3] || ""));
    var rule = e[4] !== null ? e[4] : null;
    var r = el("div", "narr-rule");
    if (rule !== null) {
      r.appendChild(el("span", "narr-rule-label", "rule: "));
      r.appendChild(el("span", "narr-rule-text", rule));
      if (e[5] !== null) r.appendChild(el("span", "narr-verdict verdict-word-" + e[5].replace(/[^a-z0-9]/gi, ""), e[5]));
    } else if (e[6] !== null && e[6] !== "") {
      r.appendChild(el("span", "narr-rule-label", "why: "));
      r.appendChild(el("span", "narr-rule-text", e[6]));
    }
    n.appendChild(r);
  };

  Pane.prototype.renderDiagrams = function () {
    for (var h in this.diagrams)
      if (Object.prototype.hasOwnProperty.call(this.diagrams, h)) this.renderDiagram(this.diagrams[h]);
  };

  Pane.prototype.renderDiagram = function (dg) {
    var m = this.m, host = dg.host, cur = this.cur;
    var chosen = this.choice[host] !== undefined ? this.choice[host] : -1;
    var conn = chosen >= 0 ? chosen : m.autoConn(host, cur);
    var st = conn >= 0 ? m.stateAt(host, conn, cur) : null;
    var name, k;
    for (k in dg.nodes) if (Object.prototype.hasOwnProperty.call(dg.nodes, k)) dg.nodes[k].classList.remove("current", "previous");
    for (k = 0; k < dg.edges.length; k++) dg.edges[k].g.classList.remove("lit", "just");
    while (dg.extra.firstChild) dg.extra.removeChild(dg.extra.firstChild);
    dg.root.setAttribute("data-conn", String(conn));
    if (st === null) {
      dg.root.setAttribute("data-state", "");
      dg.caption.textContent = conn >= 0 ? m.connName(host, conn, "conn " + conn) + ": not open yet" : "no connection yet";
      dg.transition.textContent = "";
      return;
    }
    var from = st[4], to = st[5];
    var bottom = to === "CLOSED" && (from === "TIME-WAIT" || from === "LAST-ACK");
    name = bottom ? "CLOSED " : to;
    var fromName = from;
    if (dg.nodes[name]) dg.nodes[name].classList.add("current");
    if (dg.nodes[fromName]) dg.nodes[fromName].classList.add("previous");
    /* The Figure 5 edge between the two states, unless the trace says a RST
     * did it and the figure's edge is not about one: then a dashed edge of
     * its own. */
    var edge = null, why = st[6] || "";
    for (k = 0; k < dg.edges.length; k++)
      if (dg.edges[k].from === fromName && dg.edges[k].to === name) edge = dg.edges[k];
    if (edge !== null && why.indexOf("RST") >= 0 && edge.label.indexOf("RST") < 0) edge = null;
    if (edge === null && NODES[fromName] && NODES[name])
      edge = this.drawEdge(null, dg, fromName, name, (why.indexOf("RST") >= 0 ? "rcv RST " : "") + "(not in Figure 5)", true);
    var just = st[0] === cur;
    if (edge !== null) {
      edge.g.classList.add("lit");
      if (just) edge.g.classList.add("just");
    }
    dg.root.setAttribute("data-state", to);
    dg.caption.textContent = m.connName(host, st[2], "conn " + st[2]) + ": " + to;
    var label = edge !== null ? edge.label : "";
    dg.transition.textContent = (just ? "just now: " : "last, at " + fmtT(m.t(st[0])) + ": ") + from + " \u2192 " + to +
      (label ? "  [" + label + "]" : "") + (st[6] ? "  (" + st[6] + ")" : "");
    dg.transition.classList.toggle("just", just);
  };

  /* ---- segment details ---- */

  /* A clicked segment selects its connections: the sender's diagram shows
   * the connection that sent it, the receiver's the one that took it. */
  Pane.prototype.select = function (a) {
    this.selected = a;
    this.pick(a.from, a.row[14]);
    if (a.recvRow) this.pick(a.to, a.recvRow[18]);
    this.renderDetails();
    this.render();
  };

  Pane.prototype.pick = function (host, conn) {
    if (host === null || this.diagrams[host] === undefined || this.m.stByConn[host + "/" + conn] === undefined) return;
    this.choice[host] = conn;
    this.diagrams[host].menu.value = String(conn);
  };

  function field(dl, name, value) {
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value));
  }

  Pane.prototype.renderDetails = function () {
    var a = this.selected, m = this.m, box = this.details, s = a.row;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.setAttribute("data-seg", a.seg + "." + a.copy);
    box.appendChild(el("h3", null, "Segment " + a.seg + (a.copy > 0 ? ", copy " + a.copy : "") + ": " + s[7] + " " + a.from + " \u2192 " + a.to));
    var cat = el("p", "seg-category cat-" + a.cat, (CATEGORIES.filter(function (c) { return c[0] === a.cat; })[0] || ["", a.cat])[1]);
    box.appendChild(cat);
    var f = el("dl", "seg-fields");
    field(f, "src", s[5]);
    field(f, "dst", s[6]);
    field(f, "flags", s[7]);
    field(f, "seq", String(s[10]));
    field(f, "ack", String(s[11]));
    field(f, "len", String(s[12]));
    field(f, "win", String(s[13]));
    box.appendChild(el("h4", null, "Fields"));
    box.appendChild(f);
    var p = el("dl", "seg-provenance");
    field(p, "sent by", this.m.connName(a.from, s[14], (a.from || "?") + ", conn " + s[14] + ", incarnation #" + s[15]));
    field(p, "copy", a.copy > 0 ? "copy " + a.copy + " made by the link (not the original)" : "the original" + (a.rexmit ? " (a retransmission)" : ""));
    field(p, "left", fmtT(a.t0));
    field(p, a.dropped ? "lost" : "arrived", fmtT(a.t1) + (a.delayed ? " (delayed on the link)" : ""));
    if (a.recvRow) field(p, "taken by", this.m.connName(a.to, a.recvRow[18], (a.to || "?") + ", conn " + a.recvRow[18] + (a.recvRow[19] > 0 ? ", incarnation #" + a.recvRow[19] : "")) +
                         (a.stale ? ": STALE (sent by incarnation #" + s[15] + ")" : ""));
    box.appendChild(el("h4", null, "Provenance"));
    box.appendChild(p);
    box.appendChild(el("h4", null, "Decisions"));
    var ol = el("ol", "seg-decisions");
    var evs = m.segEvents[a.seg] || [];
    for (var i = 0; i < evs.length; i++) {
      var e = m.ev[evs[i]];
      if (e[8] >= 0 && e[8] !== a.copy && m.kind(evs[i]) !== "tcp.send") continue;
      var li = el("li", "decision");
      li.setAttribute("data-event", String(evs[i]));
      li.appendChild(el("span", "d-time", fmtT(e[0])));
      li.appendChild(el("span", "d-host", m.host(evs[i]) || "-"));
      li.appendChild(el("span", "d-kind", m.kind(evs[i])));
      if (e[5] !== null) li.appendChild(el("span", "d-verdict", e[5]));
      li.appendChild(el("span", "d-text", e[3] || ""));
      if (e[4] !== null) li.appendChild(el("div", "d-rule", "rule: " + e[4]));
      else if (e[6] !== null && e[6] !== "") li.appendChild(el("div", "d-rule", "why: " + e[6]));
      li.addEventListener("click", (function (self, target) { return function () { self.viewer.go(self, target); }; })(this, evs[i]));
      ol.appendChild(li);
    }
    box.appendChild(ol);
  };

  Pane.prototype.scrollToCursor = function () {
    var y = this.m.y(this.m.t(this.cur)), top = this.scroller.scrollTop, h = this.scroller.clientHeight || 600;
    if (y < top + ROW || y > top + h - ROW) this.scroller.scrollTop = Math.max(0, y - h * 0.7);
  };

  /* ---- the viewer: panes, controls, keys, locked cursors ---- */

  function Viewer(root, models) {
    this.root = root;
    this.panes = [];
    this.active = 0;
    this.timer = null;
    this.buildControls();
    this.buildLegend();
    var row = el("div", "panes panes-" + models.length);
    for (var i = 0; i < models.length; i++) {
      var p = new Pane(this, models[i], i);
      this.panes.push(p);
      row.appendChild(p.root);
    }
    root.appendChild(row);
  }

  Viewer.prototype.buildControls = function () {
    var self = this, bar = el("div", "controls");
    function button(id, text, title, fn) {
      var b = el("button", "control", text);
      b.id = id;
      b.title = title;
      b.addEventListener("click", fn);
      bar.appendChild(b);
      return b;
    }
    button("first", "|\u25C0 start", "first event (Home)", function () { self.go(self.panes[self.active], 0); });
    button("back", "\u25C0 back", "one event back (\u2190)", function () { self.step(-1); });
    button("forward", "forward \u25B6", "one event forward (\u2192)", function () { self.step(1); });
    button("next-verdict", "next verdict \u25B6|", "jump to the next verdict (v)", function () { self.nextVerdict(); });
    this.playButton = button("play", "play", "play / pause (space)", function () { self.togglePlay(); });
    this.speed = el("select", "speed");
    this.speed.id = "speed";
    [1, 2, 5, 10, 25, 100].forEach(function (n) {
      var o = el("option", null, n + " events/s");
      o.value = String(n);
      if (n === 5) o.selected = true;
      self.speed.appendChild(o);
    });
    this.speed.addEventListener("change", function () { if (self.timer !== null) { self.togglePlay(); self.togglePlay(); } });
    bar.appendChild(this.speed);
    bar.appendChild(el("span", "keys", "keys: \u2190 \u2192 step, v next verdict, space play"));
    this.root.appendChild(bar);
  };

  Viewer.prototype.buildLegend = function () {
    var lg = el("div", "legend");
    for (var i = 0; i < CATEGORIES.length; i++) {
      var item = el("span", "legend-item cat-" + CATEGORIES[i][0]);
      var pic = svg("svg", { width: 36, height: 10 });
      pic.appendChild(svg("line", { "class": "shaft", x1: 2, y1: 5, x2: 34, y2: 5 }));
      item.appendChild(pic);
      item.appendChild(el("span", null, CATEGORIES[i][1]));
      lg.appendChild(item);
    }
    var v = el("span", "legend-item legend-verdict");
    v.appendChild(el("span", "legend-dot", "!"));
    v.appendChild(el("span", null, "verdict (click to jump)"));
    lg.appendChild(v);
    lg.appendChild(el("span", "legend-item legend-cut", "grey band: idle time cut short"));
    this.root.appendChild(lg);
  };

  /* Moves `pane` to event i and every other pane to the same virtual time. */
  Viewer.prototype.go = function (pane, i) {
    var m = pane.m;
    i = Math.max(0, Math.min(m.ev.length - 1, i));
    this.active = pane.index;
    pane.cur = i;
    var t = m.t(i);
    for (var k = 0; k < this.panes.length; k++) {
      var p = this.panes[k];
      if (p !== pane) p.cur = p.eventAtTime(t);
      p.scrollToCursor();
      p.render();
    }
    this.root.setAttribute("data-time", String(t));
  };

  Viewer.prototype.step = function (n) {
    var p = this.panes[this.active];
    this.go(p, p.cur + n);
  };

  Viewer.prototype.nextVerdict = function () {
    var p = this.panes[this.active], v = p.m.verdicts;
    for (var i = 0; i < v.length; i++) if (v[i] > p.cur) return this.go(p, v[i]);
  };

  Viewer.prototype.togglePlay = function () {
    var self = this;
    if (this.timer !== null) {
      window.clearInterval(this.timer);
      this.timer = null;
      this.playButton.textContent = "play";
      return;
    }
    this.playButton.textContent = "pause";
    this.timer = window.setInterval(function () {
      var p = self.panes[self.active];
      if (p.cur >= p.m.ev.length - 1) self.togglePlay(); else self.step(1);
    }, 1000 / parseInt(this.speed.value, 10));
  };

  Viewer.prototype.keys = function (ev) {
    if (ev.target && ev.target.tagName === "SELECT") return;
    var k = ev.key;
    if (k === "ArrowRight") this.step(1);
    else if (k === "ArrowLeft") this.step(-1);
    else if (k === "v") this.nextVerdict();
    else if (k === "Home") this.go(this.panes[this.active], 0);
    else if (k === " ") this.togglePlay();
    else return;
    ev.preventDefault();
  };

  Viewer.prototype.selectSegment = function (seg, copy) {
    var p = this.panes[this.active], arrows = p.m.arrows;
    for (var i = 0; i < arrows.length; i++)
      if (arrows[i].seg === seg && (copy < 0 || arrows[i].copy === copy)) {
        p.select(arrows[i]);
        return true;
      }
    return false;
  };

  /* ---- start ---- */

  /* What the page shows, read back from the DOM: one JSON line per pane. */
  function snapshot(out) {
    var panes = document.querySelectorAll(".pane");
    for (var k = 0; k < panes.length; k++) {
      var pane = panes[k], snap = { pane: k, diagrams: {}, current: [], selected: null };
      var narr = pane.querySelector(".narration");
      snap.index = narr.querySelector(".narr-index").textContent;
      snap.time = narr.querySelector(".narr-time").textContent;
      snap.host = narr.querySelector(".narr-host").textContent;
      snap.kind = narr.querySelector(".narr-kind").textContent;
      snap.text = narr.querySelector(".narr-text").textContent;
      var rule = narr.querySelector(".narr-rule");
      snap.rule = rule.textContent;
      var dgs = pane.querySelectorAll(".diagram");
      for (var i = 0; i < dgs.length; i++) {
        var dg = dgs[i], node = dg.querySelector(".state-node.current"), lit = dg.querySelector(".state-edge.lit");
        snap.diagrams[dg.getAttribute("data-host")] = {
          state: node ? node.getAttribute("data-state") : null,
          lit: lit ? lit.getAttribute("data-from") + "->" + lit.getAttribute("data-to") : null,
          just: lit ? lit.classList.contains("just") : false,
          label: lit ? lit.querySelector(".edge-label").textContent : null,
          caption: dg.querySelector(".diagram-state").textContent,
          transition: dg.querySelector(".diagram-transition").textContent
        };
      }
      var cur = pane.querySelectorAll(".arrow.current");
      for (i = 0; i < cur.length; i++) snap.current.push(cur[i].getAttribute("data-seg") + " " + cur[i].getAttribute("class"));
      var det = pane.querySelector(".segment-details");
      if (det.hasAttribute("data-seg")) snap.selected = { seg: det.getAttribute("data-seg"), text: det.textContent };
      out.textContent += JSON.stringify(snap) + "\n";
    }
  }

  /* ?actions=go:29,snap,key:ArrowRight,click:back,seg:4.1,snap: real key
   * presses and clicks, and snapshots of what the page shows, for the
   * browser test (tests/test-viewer.c). */
  function runActions(viewer, actions) {
    var out = el("pre", null, "");
    out.id = "twsim-probe";
    for (var i = 0; i < actions.length; i++) {
      var a = actions[i], at = a.indexOf(":"), what = at < 0 ? a : a.slice(0, at), arg = a.slice(at + 1);
      if (what === "key") document.dispatchEvent(new KeyboardEvent("keydown", { key: arg, bubbles: true }));
      else if (what === "click") document.getElementById(arg).click();
      else if (what === "go") viewer.go(viewer.panes[0], parseInt(arg, 10));
      else if (what === "verdict") document.querySelectorAll(".verdict-marker")[parseInt(arg, 10)].click();
      else if (what === "decision") document.querySelectorAll(".decision")[parseInt(arg, 10)].click();
      else if (what === "seg") clickSegment(viewer, arg);
      else if (what === "snap") snapshot(out);
    }
    document.body.appendChild(out);
  }

  /* Clicks the arrow of segment "ID.COPY" (scrolled into view first). */
  function clickSegment(viewer, id) {
    var p = viewer.panes[0], parts = id.split("."), seg = parseInt(parts[0], 10), copy = parseInt(parts[1] || "0", 10);
    for (var i = 0; i < p.m.arrows.length; i++) {
      var a = p.m.arrows[i];
      if (a.seg !== seg || a.copy !== copy) continue;
      p.scroller.scrollTop = Math.max(0, (a.y0 + a.y1) / 2 - 100);
      p.drawLadder();
      var g = p.ladder.querySelector('.arrow[data-seg="' + seg + "." + copy + '"]');
      if (g !== null) g.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      return;
    }
  }

  /* ?bench=N: N steps forward (at most to the end), each drawn; the mean
   * time per step. */
  function bench(viewer, n) {
    var p = viewer.panes[0], t0 = performance.now();
    n = Math.max(1, Math.min(n, p.m.ev.length - 1 - p.cur));
    for (var i = 0; i < n; i++) viewer.step(1);
    document.body.setAttribute("data-step-ms", ((performance.now() - t0) / n).toFixed(2));
  }

  function start() {
    var begin = performance.now();
    var root = document.getElementById("twsim-viewer");
    var blocks = document.querySelectorAll("script.twsim-trace");
    var models = [];
    for (var i = 0; i < blocks.length; i++) models.push(new Model(JSON.parse(blocks[i].textContent)));
    if (models.length === 0 || models[0].ev.length === 0) {
      root.appendChild(el("p", "left-out", "This trace holds no events."));
      return;
    }
    var viewer = new Viewer(root, models);
    document.addEventListener("keydown", function (ev) { viewer.keys(ev); });
    var q = new URLSearchParams(window.location.search);
    var target = 0;
    if (q.has("step")) target = parseInt(q.get("step"), 10) || 0;
    if (q.has("verdict")) {
      var want = "verdict." + q.get("verdict"), m = models[0];
      for (i = 0; i < m.verdicts.length; i++) if (m.kind(m.verdicts[i]) === want) { target = m.verdicts[i]; break; }
    }
    viewer.go(viewer.panes[0], target);
    if (q.has("seg")) {
      var parts = q.get("seg").split(".");
      viewer.selectSegment(parseInt(parts[0], 10), parts.length > 1 ? parseInt(parts[1], 10) : -1);
    }
    if (q.has("actions")) runActions(viewer, q.get("actions").split(","));
    document.body.setAttribute("data-start-ms", performance.now().toFixed(1));
    document.body.setAttribute("data-script-ms", (performance.now() - begin).toFixed(1));
    if (q.has("bench")) bench(viewer, parseInt(q.get("bench"), 10) || 100);
    window.twsim = {
      go: function (i) { viewer.go(viewer.panes[0], i); },
      step: function (n) { viewer.step(n); },
      nextVerdict: function () { viewer.nextVerdict(); },
      selectSegment: function (seg, copy) { return viewer.selectSegment(seg, copy === undefined ? -1 : copy); }
    };
    document.body.setAttribute("data-ready", "1");
  }

  window.addEventListener("error", function (ev) {
    document.body.setAttribute("data-error", String(ev.message));
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
