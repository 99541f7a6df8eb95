// Self-registration by name (Ramulator 2 style). A variant registers itself with one line in its own .cpp:
//
//   CYCLOPS_REGISTER(TopologyBuilder, "mesh2d", Mesh2dBuilder);
//
// and specs choose it by that name. No factory needs editing when a variant is added.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cyclops {

template <typename Interface, typename... Args>
class Registry {
 public:
  using Maker = std::function<std::unique_ptr<Interface>(Args...)>;

  // Function-local static: built on first use, so registration from static initialisers is order-safe.
  static std::map<std::string, Maker>& Table() {
    static std::map<std::string, Maker> table;
    return table;
  }
  static bool Add(const std::string& name, Maker maker) {
    return Table().emplace(name, std::move(maker)).second;
  }
  static bool Has(const std::string& name) { return Table().count(name) != 0; }
  static std::unique_ptr<Interface> Make(const std::string& name, Args... args) {
    auto it = Table().find(name);
    if (it == Table().end()) return nullptr;
    return it->second(std::forward<Args>(args)...);
  }
  static std::vector<std::string> Names() {
    std::vector<std::string> names;
    for (const auto& [name, maker] : Table()) names.push_back(name);
    return names;
  }
};

}  // namespace cyclops
