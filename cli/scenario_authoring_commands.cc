// `scenario graph` and `scenario schema`: aids for scenario authors.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "controller_client.h"
#include "json_schema.h"
#include "pedisim/v1/actions.pb.h"
#include "scenario_commands.h"
#include "scenario_files.h"
#include "scenario_graph.h"

extern char** environ;

namespace pedisim::cli {
namespace {

struct GraphOptions {
  std::string file;
  std::string scenario_id;
  bool svg = false;
  std::string output;
};

struct SchemaOptions {
  bool actions = false;
  bool fragment = false;
  std::string output;
};

// Whether `program` is an executable in a folder of $PATH.
bool OnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string folders = path == nullptr ? "/usr/bin:/bin" : path;
  size_t start = 0;
  while (start <= folders.size()) {
    const size_t end = std::min(folders.find(':', start), folders.size());
    const std::string folder = folders.substr(start, end - start);
    if (access(((folder.empty() ? "." : folder) + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// Writes `text` to `output`, or to stdout when it is empty.
int WriteOutput(const std::string& text, const std::string& output) {
  if (output.empty()) {
    std::cout << text;
    return console::kExitOk;
  }
  std::ofstream file(output, std::ios::binary);
  file << text;
  file.close();
  if (!file) {
    console::PrintError("cannot write " + output + ": " + std::strerror(errno));
    return console::kExitError;
  }
  return console::kExitOk;
}

// Pipes `dot` through Graphviz's `dot -Tsvg` into `output` (stdout when
// empty).
int RenderSvg(const std::string& dot, const std::string& output) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) {
    console::PrintError(std::string("cannot start dot: ") + std::strerror(errno));
    return console::kExitError;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
  std::vector<std::string> arguments = {"dot", "-Tsvg"};
  if (!output.empty()) arguments.insert(arguments.end(), {"-o", output});
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::cout.flush();  // dot writes to the same stdout
  pid_t child = 0;
  const int spawn_error = posix_spawnp(&child, "dot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[0]);
  if (spawn_error != 0) {
    close(pipe_ends[1]);
    console::PrintError(std::string("cannot start dot: ") + std::strerror(spawn_error));
    return console::kExitUnavailable;
  }
  // A dot that exits early must not kill this process with SIGPIPE; its
  // exit status tells what went wrong.
  const auto previous_handler = std::signal(SIGPIPE, SIG_IGN);
  for (size_t written = 0; written < dot.size();) {
    const ssize_t count = write(pipe_ends[1], dot.data() + written, dot.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    written += static_cast<size_t>(count);
  }
  close(pipe_ends[1]);
  std::signal(SIGPIPE, previous_handler);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    console::PrintError(
        "dot failed" + (WIFEXITED(status) ? " with exit code " + std::to_string(WEXITSTATUS(status))
                                          : std::string()));
    return console::kExitError;
  }
  return console::kExitOk;
}

// The scenario as the controller parsed it: from a local file through
// Validate (invalid files print their errors), or by id through Get.
// Returns the exit code of a failure, or nullopt with `scenario` filled.
std::optional<int> FetchScenario(ControllerClient& client, const GraphOptions& options,
                                 v1::Scenario* scenario) {
  if (!options.scenario_id.empty()) {
    v1::GetScenarioRequest request;
    request.set_scenario_id(options.scenario_id);
    const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
      return client.scenarios().Get(&context, request, scenario);
    });
    if (!status.ok()) return client.Fail(status);
    return std::nullopt;
  }
  v1::ValidateScenarioRequest request;
  std::vector<std::string> fragment_errors;
  std::string error;
  if (!ReadScenarioRequest(options.file, &request, &fragment_errors, &error)) {
    console::PrintError(error);
    return console::kExitNotFound;
  }
  for (const std::string& fragment_error : fragment_errors) console::PrintError(fragment_error);
  if (request.content().empty()) {
    console::PrintError(options.file + ": file is empty");
    return console::kExitInvalidInput;
  }
  v1::ValidateScenarioResponse response;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.scenarios().Validate(&context, request, &response);
  });
  if (!status.ok()) return client.Fail(status);
  if (!response.valid()) {
    // stdout is for the graph.
    for (const auto& diagnostic : response.diagnostics()) {
      std::cerr << console::FormatDiagnostic(diagnostic, options.file) << '\n';
    }
    return console::kExitInvalidInput;
  }
  *scenario = response.scenario();
  return std::nullopt;
}

int RunGraph(const GlobalOptions& global, const GraphOptions& options) {
  // Checked first: no point asking the controller for a graph that cannot
  // be drawn.
  if (options.svg && !OnPath("dot")) {
    console::PrintError(
        "--svg needs Graphviz's dot, which is not installed (Debian package graphviz); "
        "leave out --svg for DOT text");
    return console::kExitUnavailable;
  }
  ControllerClient client(global);
  v1::Scenario scenario;
  if (const std::optional<int> failure = FetchScenario(client, options, &scenario)) {
    return *failure;
  }
  const std::string dot = ScenarioDot(scenario);
  return options.svg ? RenderSvg(dot, options.output) : WriteOutput(dot, options.output);
}

int RunSchema(const SchemaOptions& options) {
  const google::protobuf::Descriptor* message = v1::Scenario::descriptor();
  if (options.actions) message = v1::ActionScript::descriptor();
  if (options.fragment) message = v1::ScenarioFragment::descriptor();
  return WriteOutput(JsonSchemaFor(*message), options.output);
}

}  // namespace

void AddScenarioAuthoringCommands(CLI::App& scenario, const GlobalOptions& global,
                                  CommandRunner& selected) {
  auto graph_options = std::make_shared<GraphOptions>();
  CLI::App* graph = scenario.add_subcommand(
      "graph", "Draw a scenario's state machine as Graphviz DOT (or SVG with --svg)");
  graph->footer(
      "\nStates are nodes (terminal ones double-bordered, the initial one bold with an\n"
      "arrow from a dot); transitions are edges labelled with their trigger and label,\n"
      "dashed for instructor choices. FILE is checked by the controller first (with\n"
      "the fragments it includes); --id takes a scenario the controller has.\n"
      "--svg pipes the DOT through Graphviz's dot -Tsvg (exit 69 if dot is missing).\n"
      "Example: pedisimctl scenario graph my-case.yaml | dot -Tpng > my-case.png\n\n" +
      std::string(kGlobalHelpPointer));
  CLI::Option* file = graph->add_option("FILE", graph_options->file, "Scenario file");
  CLI::Option* id =
      graph->add_option("--id", graph_options->scenario_id, "Id of a controller's scenario")
          ->type_name("ID");
  file->excludes(id);
  graph->add_flag("--svg", graph_options->svg, "Render SVG with Graphviz's dot");
  graph->add_option("-o,--output", graph_options->output, "Write to this file, not stdout")
      ->type_name("OUT");
  graph->callback([&, graph_options] {
    if (graph_options->file.empty() && graph_options->scenario_id.empty()) {
      throw CLI::ValidationError("scenario graph", "give a scenario FILE or --id ID");
    }
    selected = [&, graph_options] { return RunGraph(global, *graph_options); };
  });

  auto schema_options = std::make_shared<SchemaOptions>();
  CLI::App* schema = scenario.add_subcommand(
      "schema", "Print the JSON Schema of scenario files, for editors (no controller needed)");
  schema->footer(
      "\nJSON Schema draft 2020-12, generated from the contract (pedisim.v1.Scenario;\n"
      "--actions: ActionScript, the timed action files; --fragment: ScenarioFragment,\n"
      "the files scenarios include). Property names are the proto field names, enums\n"
      "take the full or the short lower-case name. For YAML editors, e.g. with the\n"
      "YAML language server: # yaml-language-server: $schema=scenario.schema.json\n\n" +
      std::string(kGlobalHelpPointer));
  CLI::Option* actions =
      schema->add_flag("--actions", schema_options->actions, "Schema of action files");
  schema->add_flag("--fragment", schema_options->fragment, "Schema of fragment files")
      ->excludes(actions);
  schema->add_option("-o,--output", schema_options->output, "Write to this file, not stdout")
      ->type_name("FILE");
  schema->callback(
      [&, schema_options] { selected = [schema_options] { return RunSchema(*schema_options); }; });
}

}  // namespace pedisim::cli
