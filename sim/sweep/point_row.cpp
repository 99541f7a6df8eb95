#include "sim/sweep/point_row.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/core/output_schema.h"

namespace cyclops::sweep {

namespace {

// The row's fields after its parameters, each with its JSON name, in the order RowJson writes them:
// the one binding both directions use.
template <typename Row, typename Visit>
void ForEachField(Row& row, Visit&& visit) {
  visit("command", row.command);
  visit("status", row.status);
  visit("exit_code", row.exit_code);
  visit("cycles_simulated", row.cycles_simulated);
  visit("cycles_analytical", row.cycles_analytical);
  visit("macs", row.macs);
  visit("energy_pj_simulated", row.energy_pj_simulated);
  visit("energy_pj_analytical", row.energy_pj_analytical);
  visit("top_stall", row.top_stall);
  visit("top_stall_cycles", row.top_stall_cycles);
  visit("noc_busiest_utilisation", row.noc_busiest_utilisation);
  visit("wall_seconds", row.wall_seconds);
  visit("host", row.host);
  visit("message", row.message);
}

template <typename T>
void Put(nlohmann::ordered_json& json, const char* name, const T& value) {
  json[name] = value;
}

template <typename T>
void Put(nlohmann::ordered_json& json, const char* name, const std::optional<T>& value) {
  if (value) json[name] = *value;  // absent when unknown
}

template <typename T>
void Take(const nlohmann::json& json, const char* name, T& value) {
  value = json.at(name).get<T>();
}

template <typename T>
void Take(const nlohmann::json& json, const char* name, std::optional<T>& value) {
  if (json.contains(name) && !json[name].is_null()) value = json[name].get<T>();
}

}  // namespace

std::string PointRow::ParametersJson() const {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& [key, value] : parameters) json[key] = value;
  return json.dump();
}

std::string RowJson(const PointRow& row) {
  nlohmann::ordered_json json;
  json["schema"] = {{"name", kSweepRowSchema.name}, {"version", kSweepRowSchema.version}};
  json["key"] = row.key;
  json["index"] = row.index;
  json["parameters"] = nlohmann::ordered_json::array();
  for (const auto& [key, value] : row.parameters) json["parameters"].push_back({key, value});
  ForEachField(row, [&json](const char* name, const auto& field) { Put(json, name, field); });
  return json.dump();
}

PointRow RowFromJson(const std::string& text) {
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    if (json.at("schema").at("name") != kSweepRowSchema.name ||
        json.at("schema").at("version") != kSweepRowSchema.version)
      throw std::runtime_error("a sweep row of another schema: " + json.at("schema").dump());
    PointRow row;
    row.key = json.at("key");
    row.index = json.at("index");
    for (const auto& pair : json.at("parameters")) row.parameters.emplace_back(pair.at(0), pair.at(1));
    ForEachField(row, [&json](const char* name, auto& field) { Take(json, name, field); });
    return row;
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("a malformed sweep row: ") + error.what());
  }
}

}  // namespace cyclops::sweep
