/* polku default theme: progressive enhancement only. Without this script
   every phase is open, all guidance shows and no control pretends to be
   expandable. UI strings come from data attributes that the templates fill
   from the theme's translation files. */
(function () {
  "use strict";

  function storage(kind) {
    try {
      var s = window[kind];
      var probe = "__polku__";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }
  var session = storage("sessionStorage");
  var local = storage("localStorage");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function hidden(text) {
    return el("span", "visually-hidden", text);
  }

  /* ---- Step-by-step phases ---------------------------------------- */
  function enhanceSteps(root) {
    var d = root.dataset;
    var key = "polku:open:" + window.location.pathname;
    var steps = [];

    Array.prototype.forEach.call(root.querySelectorAll("[data-step]"), function (step) {
      var heading = step.querySelector(".step-heading");
      var body = step.querySelector(".step-body");
      if (!heading || !body) return;
      var button = el("button", "step-toggle");
      button.type = "button";
      button.id = step.id + "-toggle";
      button.setAttribute("aria-controls", body.id);
      while (heading.firstChild) button.appendChild(heading.firstChild);
      var state = el("span", "step-toggle-state");
      state.setAttribute("aria-hidden", "true");
      button.appendChild(state);
      heading.appendChild(button);

      var title = step.querySelector(".step-title");
      var close = el("button", "step-close", d.close);
      close.type = "button";
      // "Stäng skede 2: <title>": the title keeps its own language, so a
      // Finnish title in a Swedish sentence is read in Finnish.
      var label = hidden(" " + d.closeSuffix + " " + step.dataset.number + ": ");
      if (title) {
        var name = el("span", null, title.textContent);
        var titleLang = title.closest("[lang]");
        if (titleLang) name.setAttribute("lang", titleLang.getAttribute("lang"));
        label.appendChild(name);
      }
      close.appendChild(label);
      body.appendChild(close);

      var item = { step: step, button: button, body: body, state: state };
      steps.push(item);
      button.addEventListener("click", function () {
        setOpen(item, button.getAttribute("aria-expanded") !== "true");
        save();
        updateAll();
      });
      close.addEventListener("click", function () {
        setOpen(item, false);
        save();
        updateAll();
        button.focus();
      });
    });
    if (!steps.length) return;

    var all = el("button", "steps-all");
    all.type = "button";
    var allText = el("span", "steps-all-text");
    var allHidden = hidden("");
    all.appendChild(allText);
    all.appendChild(allHidden);
    var controls = el("div", "steps-controls");
    controls.appendChild(all);
    root.insertBefore(controls, root.firstChild);
    all.addEventListener("click", function () {
      var open = !allOpen();
      steps.forEach(function (s) { setOpen(s, open); });
      save();
      updateAll();
    });

    function setOpen(item, open) {
      item.button.setAttribute("aria-expanded", open ? "true" : "false");
      item.body.hidden = !open;
      item.step.classList.toggle("is-open", open);
      item.state.textContent = open ? d.hide : d.show;
    }
    function allOpen() {
      return steps.every(function (s) { return s.button.getAttribute("aria-expanded") === "true"; });
    }
    function updateAll() {
      var open = allOpen();
      allText.textContent = open ? d.hideAll : d.showAll;
      allHidden.textContent = " " + (open ? d.hideAllSuffix : d.showAllSuffix);
      all.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function save() {
      if (!session) return;
      var ids = steps.filter(function (s) { return !s.body.hidden; }).map(function (s) { return s.step.id; });
      session.setItem(key, JSON.stringify(ids));
    }
    function openForHash() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!id) return false;
      var target = document.getElementById(id);
      if (!target) return false;
      var found = false;
      steps.forEach(function (s) {
        if (s.step === target || s.step.contains(target)) {
          setOpen(s, true);
          found = true;
        }
      });
      if (found) {
        save();
        updateAll();
        target.scrollIntoView();
      }
      return found;
    }

    var remembered = [];
    if (session) {
      try { remembered = JSON.parse(session.getItem(key) || "[]"); } catch (e) { remembered = []; }
    }
    steps.forEach(function (s) { setOpen(s, remembered.indexOf(s.step.id) !== -1); });
    updateAll();
    root.classList.add("is-enhanced");
    openForHash();
    window.addEventListener("hashchange", openForHash);
  }

  /* ---- "What matters to you?" segment chooser ----------------------- */
  /* Choosing says what happened (a status message) and brings the chosen
     guidance to the top of each phase, under its own heading; choosing
     "all" puts every item back where the page has it. */
  function enhanceSegments(chooser) {
    var fallback = document.querySelector("[data-segment-fallback]");
    var status = document.querySelector("[data-segment-status]");
    var details = chooser.closest("details");
    var key = "polku:segment";
    var radios = chooser.querySelectorAll("input[type=radio]");
    var items = Array.prototype.slice.call(document.querySelectorAll(".guidance-item[data-segment]"));
    items.forEach(function (item) {
      item.polkuHome = { parent: item.parentNode, next: item.nextSibling };
    });
    var tops = [];
    function topOf(body) {
      var top = body.querySelector(":scope > .chosen-guidance");
      if (!top) {
        top = el("div", "chosen-guidance");
        top.appendChild(el("h3", null, chooser.dataset.chosenHeading));
        body.insertBefore(top, body.firstChild);
        tops.push(top);
      }
      return top;
    }
    function apply(value, announce) {
      // Put everything back first, in the page's own order.
      items.slice().reverse().forEach(function (item) {
        item.polkuHome.parent.insertBefore(item, item.polkuHome.next);
      });
      tops.forEach(function (t) { t.hidden = true; });
      var label = "";
      items.forEach(function (item) {
        var chosen = value !== "" && item.dataset.segment === value;
        item.classList.toggle("is-chosen", chosen);
        var badge = item.querySelector(".guidance-badge");
        if (badge) badge.hidden = !chosen;
        if (chosen) {
          var body = item.closest(".step-body");
          if (body) {
            var top = topOf(body);
            top.hidden = false;
            top.appendChild(item);
          }
        }
      });
      Array.prototype.forEach.call(radios, function (radio) {
        if (radio.checked && radio.value !== "") label = chooser.querySelector("label[for='" + radio.id + "']").textContent;
      });
      if (announce && status) {
        status.textContent = value === "" ? chooser.dataset.statusAll : chooser.dataset.statusChosen.replace("{label}", label);
      }
    }
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        if (local) local.setItem(key, radio.value);
        apply(radio.value, true);
      });
    });
    var saved = local ? local.getItem(key) || "" : "";
    Array.prototype.forEach.call(radios, function (radio) {
      radio.checked = radio.value === saved;
    });
    apply(saved, false);
    chooser.hidden = false;
    if (fallback) fallback.hidden = true;
    // A choice made earlier shows at once, and printing shows the labels.
    if (saved && details) details.open = true;
    if (details) window.addEventListener("beforeprint", function () { details.open = true; });
  }

  /* ---- "Open now" beside opening hours ------------------------------ */
  /* Hours are in Finnish time; the visitor's clock may be anywhere. */
  function helsinkiNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Helsinki", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    var day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
    return { day: day, time: parts.hour + ":" + parts.minute };
  }
  function markOpenNow(holder, now, texts) {
    var hours;
    try { hours = JSON.parse(holder.dataset.hours); } catch (e) { return; }
    var open = hours.some(function (h) {
      return now.day >= h[0] && now.day <= h[1] && now.time >= h[2] && now.time < h[3];
    });
    var line = el("p", "open-now " + (open ? "is-open" : "is-closed"), open ? texts.open : texts.closed);
    var action = holder.querySelector(".channel-action");
    var details = holder.querySelector(".channel-details");
    if (action) action.parentNode.insertBefore(line, action.nextSibling);
    else if (details) details.parentNode.insertBefore(line, details);
  }

  var stepsRoot = document.querySelector("[data-steps]");
  if (stepsRoot) enhanceSteps(stepsRoot);
  var chooser = document.querySelector("[data-segment-chooser]");
  if (chooser) enhanceSegments(chooser);
  var holders = document.querySelectorAll("[data-hours]");
  if (holders.length && window.Intl) {
    var now = helsinkiNow();
    var texts = { open: document.body.dataset.openNow, closed: document.body.dataset.closedNow };
    Array.prototype.forEach.call(holders, function (h) { markOpenNow(h, now, texts); });
  }
})();
