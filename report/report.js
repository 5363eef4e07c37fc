// The charts of a `sesim report` page (solvers/report.cpp writes the page): an effects chart
// (point and 95% interval per policy, for the chosen outcome and date) and a fan chart
// (median, middle 50% and 90% over the replicates, policy beside the baseline, for the
// chosen policy, outcome and region), drawn with Vega-Lite through vega-embed from the data
// in <script id="sesim-data">. Everything is inline: nothing is fetched.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sesim-data').textContent);
  var nl = data.lang === 'nl';
  var S = nl ? {
    baseline: 'basislijn', median: 'mediaan', band50: 'middelste 50%', band90: 'middelste 90%',
    month: 'maand', series: 'reeks', policy: 'beleid', effect: 'effect', interval: '95%-interval',
    total: 'totaal', effectOn: 'Effect op ', inMonth: ' in ', perPolicy: ', per beleid, met 95%-interval',
    fanOf: 'Verloop van ', under: ' onder ', andBaseline: ' en de basislijn',
    failed: 'De grafiek kon niet worden getekend: ', altEffects: 'Puntschattingen met 95%-interval: ',
    altFan: 'Mediaan in ', to: ' tot '
  } : {
    baseline: 'baseline', median: 'median', band50: 'middle 50%', band90: 'middle 90%',
    month: 'month', series: 'series', policy: 'policy', effect: 'effect', interval: '95% interval',
    total: 'total', effectOn: 'Effect on ', inMonth: ' in ', perPolicy: ', per policy, with 95% interval',
    fanOf: 'Course of ', under: ' under ', andBaseline: ' and the baseline',
    failed: 'The chart could not be drawn: ', altEffects: 'Point estimates with 95% interval: ',
    altFan: 'Median in ', to: ' to '
  };
  // Okabe-Ito: blue for the baseline, orange for the policy; the baseline is also dashed, so
  // the two differ without colour.
  var BLUE = '#0072B2', ORANGE = '#E69F00', GREY = '#555555';
  var MONTHS = nl ? ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec']
                  : ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function monthLabel(ym) {
    return MONTHS[parseInt(ym.slice(5, 7), 10) - 1] + ' ' + ym.slice(0, 4);
  }
  // The rules of format_amount() in solvers/report.cpp, for axis labels and tooltips.
  function sig3(a) {
    var s = String(Number(a.toPrecision(3)));
    return nl ? s.replace('.', ',') : s;
  }
  function grouped(a) {
    var s = String(Math.round(a)), out = '';
    for (var i = 0; i < s.length; ++i) {
      if (i > 0 && (s.length - i) % 3 === 0) out += nl ? '.' : ',';
      out += s[i];
    }
    return out;
  }
  function amount(x, units, sign) {
    if (x === null || x === undefined || isNaN(x)) return nl ? 'n.v.t.' : 'n/a';
    var a = Math.abs(x), body;
    if (units === 'EUR') {
      if (a >= 999.5e6) body = sig3(a / 1e9) + (nl ? ' mld' : 'bn');
      else if (a >= 999.5e3) body = sig3(a / 1e6) + (nl ? ' mln' : 'm');
      else if (a >= 999.5) body = nl ? grouped(Number(a.toPrecision(3))) : sig3(a / 1e3) + 'k';
      else body = grouped(a);
      body = 'EUR ' + body;
    } else {
      body = a >= 999.5 ? grouped(a) : sig3(a);
    }
    var zero = body === '0' || body === 'EUR 0';
    if (x < 0 && !zero) return '-' + body;
    if (x > 0 && sign && !zero) return '+' + body;
    return body;
  }
  vega.expressionFunction('sesimAmount', function (x, units) { return amount(x, units, false); });

  var outputs = {};
  data.outputs.forEach(function (o) { outputs[o.name] = o; });
  var policies = data.scenarios.filter(function (s) { return s.name !== data.baseline; });

  function fill(id, items) {
    var el = document.getElementById(id);
    items.forEach(function (it) {
      var opt = document.createElement('option');
      opt.value = it[0];
      opt.textContent = it[1];
      el.appendChild(opt);
    });
    return el;
  }
  var selOutput = fill('select-output', data.outputs.map(function (o) { return [o.name, o.label]; }));
  var selDate = fill('select-date', data.dates.map(function (d) { return [d, monthLabel(d)]; }));
  var selScenario = fill('select-scenario', policies.map(function (s) { return [s.name, s.name]; }));
  var selRegion = fill('select-region', data.regions.map(function (r) {
    return [r, r === 'total' ? S.total : r];
  }));
  selDate.value = data.dates[data.dates.length - 1];
  if (data.regions.length <= 1) document.getElementById('region-control').hidden = true;

  var embedOptions = {
    actions: false,
    renderer: 'svg',
    formatLocale: nl ? { decimal: ',', thousands: '.', grouping: [3], currency: ['EUR ', ''] }
                     : { decimal: '.', thousands: ',', grouping: [3], currency: ['EUR ', ''] }
  };
  var config = {
    font: 'system-ui, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
    legend: { labelFontSize: 12 },
    view: { stroke: null }
  };

  function draw(id, spec, key, alt) {
    var el = document.getElementById(id);
    el.setAttribute('aria-label', alt);
    spec.description = alt;
    spec.config = config;
    return vegaEmbed(el, spec, embedOptions).then(function (result) {
      el.dataset.rendered = key;
      return result;
    }).catch(function (err) {
      el.textContent = S.failed + err;
      el.classList.add('chart-error');
      console.error(err);
    });
  }

  function drawEffects() {
    var o = outputs[selOutput.value], date = selDate.value;
    var values = data.effects.filter(function (e) {
      return e.output === o.name && e.date === date;
    }).map(function (e) {
      return { policy: e.scenario, mean: e.mean, low: e.low, high: e.high,
               shown: e.shown, interval: e.interval };
    });
    var title = S.effectOn + o.label + S.inMonth + monthLabel(date) + S.perPolicy;
    document.getElementById('effects-caption').textContent = title;
    var alt = title + '. ' + S.altEffects + values.map(function (v) {
      return v.policy + ' ' + v.shown + ' (' + v.interval + ')';
    }).join('; ') + '.';
    var y = { field: 'policy', type: 'nominal', sort: null, title: null };
    var x = { type: 'quantitative', title: S.effect + ': ' + o.axis,
              axis: { labelExpr: "sesimAmount(datum.value, '" + o.units + "')" } };
    var spec = {
      width: 'container', height: Math.max(60, 28 * values.length),
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: GREY, strokeDash: [4, 3] },
          encoding: { x: { field: 'zero', type: 'quantitative' } } },
        { data: { values: values }, mark: { type: 'rule', strokeWidth: 3, color: BLUE },
          encoding: { y: y, x: Object.assign({ field: 'low' }, x), x2: { field: 'high' } } },
        { data: { values: values }, mark: { type: 'point', filled: true, size: 90, color: BLUE, opacity: 1 },
          encoding: { y: y, x: Object.assign({ field: 'mean' }, x),
                      tooltip: [{ field: 'policy', title: S.policy }, { field: 'shown', title: S.effect },
                                { field: 'interval', title: S.interval }] } }
      ]
    };
    return draw('effects-chart', spec, o.name + '|' + date, alt);
  }

  function drawFan() {
    var o = outputs[selOutput.value], policy = selScenario.value, region = selRegion.value;
    var byScenario = data.fan[region];
    var rows = [];
    var baseName = data.baseline === S.baseline ? S.baseline : S.baseline + ' (' + data.baseline + ')';
    [[data.baseline, baseName], [policy, policy]].forEach(function (s) {
      var q = byScenario[s[0]][o.name];
      for (var t = 0; t < q[2].length; ++t) {
        rows.push({ month: data.months[t], label: monthLabel(data.months[t]), series: s[1],
                    q05: q[0][t], q25: q[1][t], q50: q[2][t], q75: q[3][t], q95: q[4][t],
                    median: amount(q[2][t], o.units),
                    band50: amount(q[1][t], o.units) + S.to + amount(q[3][t], o.units),
                    band90: amount(q[0][t], o.units) + S.to + amount(q[4][t], o.units) });
      }
    });
    var names = [baseName, policy];
    var title = S.fanOf + o.label + S.under + policy + S.andBaseline +
        (data.regions.length > 1 ? ' (' + (region === 'total' ? S.total : region) + ')' : '');
    document.getElementById('fan-caption').textContent = title;
    var last = function (name) {
      var r = rows.filter(function (r) { return r.series === name; });
      return r[r.length - 1];
    };
    var lb = last(names[0]), lp = last(names[1]);
    var alt = title + '. ' + S.altFan + lp.label + ': ' + policy + ' ' + lp.median + ' (' + S.band90 +
        ' ' + lp.band90 + '), ' + S.baseline + ' ' + lb.median + ' (' + S.band90 + ' ' + lb.band90 + ').';
    // Two panels side by side on one y scale, the baseline's median repeated as a grey
    // dashed line in the policy's panel: bands of two series on top of each other mix their
    // colours past reading.
    var ref = rows.filter(function (r) { return r.series === names[0]; });
    rows.forEach(function (r, i) { r.ref = ref[i % ref.length].q50; });
    var width = Math.max(220, Math.floor((document.getElementById('fan-chart').clientWidth - 120) / 2));
    var color = { field: 'series', type: 'nominal', legend: null,
                  scale: { domain: names, range: [BLUE, ORANGE] } };
    var yAxis = { labelExpr: "sesimAmount(datum.value, '" + o.units + "')" };
    var x = { field: 'month', type: 'temporal', scale: { type: 'utc' }, title: null,
              axis: { format: '%Y', tickCount: { interval: 'year', step: 1 }, labelOverlap: true } };
    var spec = {
      data: { values: rows },
      facet: { column: { field: 'series', type: 'nominal', sort: names, title: null,
                         header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
      spec: {
        width: width, height: 300,
        encoding: { x: x, color: color },
        layer: [
          { mark: { type: 'area', opacity: 0.22 },
            encoding: { y: { field: 'q05', type: 'quantitative', title: o.axis, axis: yAxis }, y2: { field: 'q95' } } },
          { mark: { type: 'area', opacity: 0.45 },
            encoding: { y: { field: 'q25', type: 'quantitative' }, y2: { field: 'q75' } } },
          { mark: { type: 'line', strokeWidth: 1.5, strokeDash: [5, 3], color: GREY },
            encoding: { y: { field: 'ref', type: 'quantitative' }, color: { value: GREY } } },
          { mark: { type: 'line', strokeWidth: 2.5 },
            encoding: { y: { field: 'q50', type: 'quantitative' },
                        tooltip: [{ field: 'label', title: S.month }, { field: 'series', title: S.series },
                                  { field: 'median', title: S.median }, { field: 'band50', title: S.band50 },
                                  { field: 'band90', title: S.band90 }] } }
        ]
      },
      resolve: { scale: { y: 'shared' } }
    };
    return draw('fan-chart', spec, region + '|' + policy + '|' + o.name, alt);
  }

  selOutput.addEventListener('change', function () { drawEffects(); drawFan(); });
  selDate.addEventListener('change', drawEffects);
  selScenario.addEventListener('change', drawFan);
  selRegion.addEventListener('change', drawFan);
  Promise.all([drawEffects(), drawFan()]).then(function () {
    // Milliseconds from the start of navigation until both charts are drawn, for the tests
    // and docs/performance.md.
    document.documentElement.dataset.readyMs = performance.now().toFixed(0);
    document.documentElement.dataset.ready = '1';
  });
})();
