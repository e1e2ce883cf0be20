// Province → city → district selects filled from GET /api/v1/divisions/ (the codes the server
// checks). Keeps a value posted back after a refused form.
(function () {
  "use strict";
  var box = document.querySelector("[data-divisions]");
  if (!box) return;
  var url = box.getAttribute("data-divisions");
  var choose = box.getAttribute("data-choose") || "…";
  var province = box.querySelector("[name=province_code]");
  var city = box.querySelector("[name=city_code]");
  var district = box.querySelector("[name=district_code]");
  var wanted = { province: province.getAttribute("data-value") || "", city: city.getAttribute("data-value") || "", district: district.getAttribute("data-value") || "" };

  function fill(select, query, value) {
    select.innerHTML = "";
    var empty = document.createElement("option");
    empty.value = "";
    empty.textContent = choose;
    select.appendChild(empty);
    if (query === null) return Promise.resolve();
    return fetch(url + query, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (rows) {
        rows.forEach(function (row) {
          var option = document.createElement("option");
          option.value = row.code;
          option.textContent = row.name;
          select.appendChild(option);
        });
        select.value = value || "";
        // A city without districts takes none: hide the empty district select.
        if (select === district) district.closest("div").hidden = rows.length === 0;
      });
  }

  province.addEventListener("change", function () {
    fill(city, "?province=" + province.value, "").then(function () { fill(district, null, ""); });
  });
  city.addEventListener("change", function () {
    fill(district, "?province=" + province.value + "&city=" + city.value, "");
  });
  fill(province, "", wanted.province)
    .then(function () { return wanted.province ? fill(city, "?province=" + wanted.province, wanted.city) : fill(city, null, ""); })
    .then(function () { return wanted.city ? fill(district, "?province=" + wanted.province + "&city=" + wanted.city, wanted.district) : fill(district, null, ""); });
})();
