// The news-review page: editing a fact's values selects "accept with edits" for that fact.
// Progressive enhancement only: the page works the same without it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.xreview");
  if (!form) return;
  form.addEventListener("input", function (e) {
    var fact = e.target.closest(".xfact");
    if (!fact || !e.target.closest(".xedit")) return;
    var edit = fact.querySelector('.xdecide input[value="edit"]');
    if (edit && !edit.disabled) edit.checked = true;
  });
});
