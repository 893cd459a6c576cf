/* custfocus report: sortable tables and filters. Inline, no network; safe to run twice. */
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent.trim() : v;
  }
  function compare(a, b) {
    if (a === '' && b === '') return 0;
    if (a === '') return 1;           /* empty values last, whatever the direction */
    if (b === '') return -1;
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b);
  }
  document.querySelectorAll('table.cf-sortable').forEach(function (table) {
    if (table.getAttribute('data-cf-bound')) return;
    table.setAttribute('data-cf-bound', '1');
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = key(r1.cells[col]), b = key(r2.cells[col]);
          if (a === '' || b === '') return compare(a, b);
          return asc ? compare(a, b) : compare(b, a);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var filters = document.querySelectorAll('select[data-filter]');
  function applyFilters() {
    var want = {};
    filters.forEach(function (s) { if (s.value) want[s.getAttribute('data-filter')] = s.value; });
    var shown = 0, total = 0;
    document.querySelectorAll('[data-status]').forEach(function (el) {
      var ok = Object.keys(want).every(function (k) { return el.getAttribute('data-' + k) === want[k]; });
      el.hidden = !ok;
      if (el.closest('table.cf-sortable')) { total += 1; if (ok) shown += 1; }
    });
    var out = document.getElementById('cf-shown');
    if (out) out.textContent = shown === total ? 'all ' + total + ' files' : shown + ' of ' + total + ' files';
  }
  filters.forEach(function (s) { s.addEventListener('change', applyFilters); });
  /* Printing opens every collapsed text, so a PDF holds the evidence. */
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
})();
