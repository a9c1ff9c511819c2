(function () {
  "use strict";
  var source = document.getElementById("blueprint-steps");
  if (!source) {
    return;
  }
  var data = JSON.parse(source.textContent || "{}");
  var steps = data.steps || [];

  function checkedSet(selector, key) {
    var set = {};
    var inputs = document.querySelectorAll(selector);
    for (var i = 0; i < inputs.length; i++) {
      set[inputs[i].getAttribute(key)] = inputs[i].checked;
    }
    return set;
  }

  function phaseHeaders(phases) {
    // the phase headers of the diagram: nodes "phase:<id>:<n>"
    var nodes = document.querySelectorAll("#diagram svg g.node[id^='phase:']");
    for (var i = 0; i < nodes.length; i++) {
      var id = nodes[i].id;
      var cut = id.lastIndexOf(":");
      var phase = id.slice("phase:".length, cut);
      if (/^[0-9]+$/.test(id.slice(cut + 1)) && phases[phase] === false) {
        nodes[i].classList.add("dimmed");
      } else {
        nodes[i].classList.remove("dimmed");
      }
    }
  }

  function update() {
    var phases = checkedSet("input.phase-toggle", "data-phase");
    var segments = checkedSet("input.segment-toggle", "data-segment");
    var dimmed = {};
    steps.forEach(function (step) {
      var shown = phases[step.phase] !== false;
      if (shown && step.segments.length) {
        shown = step.segments.some(function (s) { return segments[s] !== false; });
      }
      step.nodes.forEach(function (id) {
        dimmed[id] = !shown;
        var node = document.getElementById(id);
        if (node) {
          node.classList.toggle("dimmed", !shown);
        }
      });
    });
    // a flow is dimmed with either of its ends (edges are titled "a:x&#45;&gt;a:y")
    var edges = document.querySelectorAll("#diagram svg g.edge");
    for (var i = 0; i < edges.length; i++) {
      var title = edges[i].querySelector("title");
      var ends = title ? (title.textContent || "").split("->") : [];
      var off = ends.length === 2 && (dimmed[ends[0]] === true || dimmed[ends[1]] === true);
      edges[i].classList.toggle("dimmed", off);
    }
    phaseHeaders(phases);
  }

  var toggles = document.querySelectorAll("input.phase-toggle, input.segment-toggle");
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].addEventListener("change", update);
  }
  update();
})();
