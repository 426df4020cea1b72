// Idle reset for client pages. Without JavaScript, a <noscript> refresh does the same
// job; with it, the client gets a warning and time to say they are still there.
(function () {
  "use strict";
  var body = document.body;
  var idle = Number(body.dataset.idle), warn = Number(body.dataset.warn);
  if (!idle) { return; }
  var box = document.getElementById("idle-warning");
  var button = document.getElementById("idle-continue");
  var warnTimer, leaveTimer;
  var token = document.querySelector("input[name=csrf_token]");

  function leave() {
    // Save what is on the page as a draft before starting again, where there is a form.
    var form = document.querySelector("form.step-form");
    if (form) {
      var go = document.createElement("input");
      go.type = "hidden"; go.name = "go"; go.value = "leave";
      form.appendChild(go);
      form.submit();
    } else {
      window.location.assign(body.dataset.leave);
    }
  }
  function schedule() {
    clearTimeout(warnTimer); clearTimeout(leaveTimer);
    warnTimer = setTimeout(function () { box.hidden = false; button.focus(); }, (idle - warn) * 1000);
    leaveTimer = setTimeout(leave, idle * 1000);
  }
  var lastPing = Date.now();
  function ping() {
    // Tell the server the client is still here, at most once a minute.
    if (!token || Date.now() - lastPing < 60000) { return; }
    lastPing = Date.now();
    fetch(body.dataset.keepalive, {method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": token.value}});
  }
  function stillHere() {
    box.hidden = true;
    lastPing = 0;
    ping();
    schedule();
  }
  button.addEventListener("click", stillHere);
  ["keydown", "pointerdown", "input"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (box.hidden) { schedule(); ping(); }
    }, {passive: true});
  });
  schedule();
  body.dataset.idleTimer = "on";  // tests wait for this before moving the clock
})();
