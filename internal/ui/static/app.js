// Twinning's only script, and an optional one: every page works without it. Inputs marked
// data-picker="cities", "institutions", "agreements" (by their two cities' names), "links" (by
// their two institutions' names), "networks" or "people" offer matching records as the reader
// types (any name, any script), from the JSON API; those also marked data-usable offer only
// what the signed-in editor may use. Without the script the server resolves what was typed and
// asks the reader to choose when a name is ambiguous.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var kinds = { cities: "city", institutions: "institution", agreements: "agreement", links: "link", networks: "network", people: "person" };

  function setup(input, n) {
    var kind = kinds[input.getAttribute("data-picker")];
    if (!kind || !window.fetch) return;
    var list = document.createElement("datalist");
    list.id = "picker-" + n;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    // A staff form's field keeps the number of the record chosen beside its name (#id, #name):
    // the field shows names only, and the server takes the number while the name is unchanged.
    var form = input.form, keepID = null, keepName = null, offered = [];
    if (form) {
      keepID = form.querySelector('input[type="hidden"][name="' + input.name + '#id"]');
      keepName = form.querySelector('input[type="hidden"][name="' + input.name + '#name"]');
    }
    var byName = !!(keepID && keepName);
    var timer = 0, last = "";
    input.addEventListener("input", function () {
      var v = input.value.trim();
      if (byName) {
        for (var i = 0; i < offered.length; i++) {
          if (offered[i].title === v) { keepID.value = offered[i].ref; keepName.value = v; nameDirection(form, input.name, offered[i]); break; }
        }
      }
      clearTimeout(timer);
      timer = setTimeout(function () { lookup(v); }, 180);
    });
    function lookup(q) {
      if (q.length < 2 || q === last) return;
      last = q;
      var usable = input.hasAttribute("data-usable") ? "&usable=1" : "";
      fetch("/api/v1/search?limit=8&type=" + kind + usable + "&q=" + encodeURIComponent(q), {
        headers: { "Accept-Language": lang, "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (res) {
          list.textContent = "";
          offered = res.items || [];
          offered.forEach(function (h) {
            var o = document.createElement("option");
            o.value = byName ? h.title : h.ref;
            o.label = h.title;
            o.textContent = h.title;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }
  }

  // An activity's direction names the cities of the agreement just picked, in its order (the
  // agreement's title is "first city – second city"): «اصفهان ← سمرقند», "Isfahan → Samarkand".
  // A title it cannot split leaves the choices as they are; the server then asks again.
  function nameDirection(form, field, hit) {
    var sel = field === "agreement" && form.querySelector("select[data-direction]");
    var named = sel && form.querySelector('input[type="hidden"][name="' + sel.name + '#for"]');
    var parts = hit.title.split(" \u2013 ");
    if (!named || parts.length !== 2) return;
    var a = "\u2068" + parts[0] + "\u2069", b = "\u2068" + parts[1] + "\u2069", arrow = sel.getAttribute("data-arrow");
    var text = { a_to_b: a + arrow + b, b_to_a: b + arrow + a, both: a + " \u2194 " + b + " (" + sel.getAttribute("data-both") + ")" };
    for (var i = 0; i < sel.options.length; i++) {
      if (text[sel.options[i].value]) sel.options[i].textContent = text[sel.options[i].value];
    }
    named.value = hit.ref;
  }

  var inputs = document.querySelectorAll("input[data-picker]");
  for (var i = 0; i < inputs.length; i++) setup(inputs[i], i);

  // Print buttons on reports.
  var print = document.querySelectorAll("[data-print]");
  for (var j = 0; j < print.length; j++) {
    print[j].hidden = false;
    print[j].addEventListener("click", function () { window.print(); });
  }
})();
