//===- ReportWriters.cpp - the compile report as JSON, HTML and text ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/CompileReport.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

namespace kiln::driver {

namespace {
/// The page's script: renders the report embedded as JSON into tables, so
/// the one file is the whole report.
constexpr const char *kPageScript = R"JS(
const report = JSON.parse(document.getElementById('report').textContent);
function table(title, head, rows) {
  const section = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = title + ' (' + rows.length + ')';
  section.appendChild(h);
  const t = document.createElement('table');
  const tr = t.insertRow();
  for (const name of head) {
    const th = document.createElement('th');
    th.textContent = name;
    tr.appendChild(th);
  }
  for (const row of rows) {
    const r = t.insertRow();
    for (const cell of row) r.insertCell().textContent = String(cell);
  }
  section.appendChild(t);
  document.body.appendChild(section);
}
document.getElementById('summary').textContent =
  report.input + ' -> ' + report.output + ' for ' + report.target.triple +
  ' (' + report.target.cpu + '): ' + report.total_seconds.toFixed(2) +
  ' s, workspace ' + report.workspace_bytes + ' bytes, weights ' +
  report.weight_bytes + ' bytes';
table('Time per step', ['step', 'seconds'],
      report.steps.map(s => [s.name, s.seconds.toFixed(3)]));
table('ONNX ops by kind', ['op', 'count'],
      Object.entries(report.ops_by_kind));
table('Lowering decisions', ['node', 'op', 'config', 'reason', 'variant'],
      report.decisions.map(d => [d.node, d.op, d.config, d.reason,
                                 d.variant || '']));
table('Loop nests and their ONNX nodes', ['nodes', 'count'],
      report.groups.map(g => [g.nodes.join(', '), g.nodes.length]));
)JS";
} // namespace

void CompileReport::writeJSON(llvm::raw_ostream &os) const {
  llvm::json::OStream json(os, 2);
  json.object([&] {
    json.attribute("input", input);
    json.attribute("output", output);
    json.attributeObject("target", [&] {
      json.attribute("triple", targetTriple);
      json.attribute("cpu", targetCPU);
    });
    json.attribute("total_seconds", getTotalSeconds());
    json.attributeArray("steps", [&] {
      for (const auto &[name, seconds] : steps)
        json.object([&] {
          json.attribute("name", name);
          json.attribute("seconds", seconds);
        });
    });
    json.attributeObject("ops_by_kind", [&] {
      for (const auto &[kind, count] : opsByKind)
        json.attribute(kind, count);
    });
    json.attributeArray("decisions", [&] {
      for (const LoweringDecisionRecord &d : decisions)
        json.object([&] {
          json.attribute("node", d.node);
          json.attribute("op", d.op);
          json.attribute("config", d.config);
          json.attribute("reason", d.reason);
          if (!d.variant.empty())
            json.attribute("variant", d.variant);
        });
    });
    json.attributeArray("groups", [&] {
      for (const FusedGroup &group : groups)
        json.object([&] {
          json.attributeArray("nodes", [&] {
            for (const std::string &node : group.nodes)
              json.value(node);
          });
        });
    });
    json.attribute("workspace_bytes", workspaceBytes);
    json.attribute("weight_bytes", weightBytes);
  });
  os << "\n";
}

void CompileReport::writeHTML(llvm::raw_ostream &os) const {
  std::string data;
  llvm::raw_string_ostream dataStream(data);
  writeJSON(dataStream);
  // Inside <script>, only "</" could end the element early.
  std::string escaped;
  for (size_t i = 0; i < data.size(); ++i) {
    escaped += data[i];
    if (data[i] == '<' && i + 1 < data.size() && data[i + 1] == '/')
      escaped += "\\";
  }
  os << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
     << "<title>kilnc report</title><style>"
     << "body{font-family:sans-serif;margin:1em}"
     << "table{border-collapse:collapse;margin-bottom:1em}"
     << "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;"
     << "vertical-align:top;font-size:90%}</style></head><body>\n"
     << "<h1>kilnc report</h1><p id=\"summary\"></p>\n"
     << "<script type=\"application/json\" id=\"report\">\n"
     << escaped << "</script>\n<script>" << kPageScript
     << "</script>\n</body></html>\n";
}

void CompileReport::writeTimeReport(llvm::raw_ostream &os) const {
  double total = getTotalSeconds();
  os << "===" << std::string(60, '-') << "===\n"
     << "  kilnc time report: " << input << "\n"
     << "===" << std::string(60, '-') << "===\n";
  for (const auto &[name, seconds] : steps)
    os << llvm::format("  %10.3f s  %5.1f%%  ", seconds,
                       total > 0 ? 100 * seconds / total : 0.0)
       << name << "\n";
  os << llvm::format("  %10.3f s  100.0%%  total\n", total);
}

} // namespace kiln::driver
