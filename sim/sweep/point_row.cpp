#include "sim/sweep/point_row.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/core/output_schema.h"

namespace cyclops::sweep {

namespace {

template <typename T>
void Put(nlohmann::ordered_json& json, const char* name, const std::optional<T>& value) {
  if (value) json[name] = *value;
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
  json["command"] = row.command;
  json["status"] = row.status;
  json["exit_code"] = row.exit_code;
  Put(json, "cycles_simulated", row.cycles_simulated);
  Put(json, "cycles_analytical", row.cycles_analytical);
  Put(json, "macs", row.macs);
  Put(json, "energy_pj_simulated", row.energy_pj_simulated);
  Put(json, "energy_pj_analytical", row.energy_pj_analytical);
  Put(json, "top_stall", row.top_stall);
  Put(json, "top_stall_cycles", row.top_stall_cycles);
  Put(json, "noc_busiest_utilisation", row.noc_busiest_utilisation);
  json["wall_seconds"] = row.wall_seconds;
  json["host"] = row.host;
  json["message"] = row.message;
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
    row.command = json.at("command");
    row.status = json.at("status");
    row.exit_code = json.at("exit_code");
    Take(json, "cycles_simulated", row.cycles_simulated);
    Take(json, "cycles_analytical", row.cycles_analytical);
    Take(json, "macs", row.macs);
    Take(json, "energy_pj_simulated", row.energy_pj_simulated);
    Take(json, "energy_pj_analytical", row.energy_pj_analytical);
    Take(json, "top_stall", row.top_stall);
    Take(json, "top_stall_cycles", row.top_stall_cycles);
    Take(json, "noc_busiest_utilisation", row.noc_busiest_utilisation);
    row.wall_seconds = json.at("wall_seconds");
    row.host = json.at("host");
    row.message = json.at("message");
    return row;
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("a malformed sweep row: ") + error.what());
  }
}

}  // namespace cyclops::sweep
