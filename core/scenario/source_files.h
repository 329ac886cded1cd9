#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/scenario/source_map.h"

namespace pedisim::scenario {

// Where the fields of a message assembled from several files were written: a
// scenario whose `include`d fragments appended states and handlers. Checks
// name fields by their path in the assembled message ("states[7].name");
// this finds the file that path came from and the path within that file
// ("states[1].name" of the fragment), so diagnostics point into the right
// file at the right line.
class SourceFiles {
 public:
  // Fields not appended from elsewhere come from `main_file`. `main_map`
  // must outlive this object.
  SourceFiles(std::string main_file, const SourceMap& main_map)
      : main_file_(std::move(main_file)), main_map_(main_map) {}

  // Elements first_index .. first_index + count - 1 of the top-level
  // repeated field `field` ("states") were appended from `file`, where they
  // are that field's elements 0 .. count - 1. `map` must outlive this object.
  void AddAppended(std::string field, int first_index, int count, std::string file,
                   const SourceMap& map);

  // A field as written in one file.
  struct Origin {
    const std::string& file;
    const SourceMap& source_map;
    // The field's path within `file`.
    std::string field_path;
  };
  Origin Resolve(std::string_view field_path) const;

 private:
  struct Appended {
    std::string field;
    int first_index;
    int count;
    std::string file;
    const SourceMap* source_map;
  };

  std::string main_file_;
  const SourceMap& main_map_;
  std::vector<Appended> appended_;
};

}  // namespace pedisim::scenario
