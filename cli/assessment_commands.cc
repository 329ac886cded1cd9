// `pedisimctl session report|grade|score|release|mode`: AssessmentService.
#include <iostream>
#include <memory>
#include <string>

#include "controller_client.h"
#include "core/text/enum_names.h"
#include "recording_commands.h"
#include "report_printer.h"
#include "session_commands.h"
#include "validators.h"

namespace pedisim::cli {
namespace {

struct ReportOptions {
  std::string session_id;
  bool as_learner = false;
  std::string format;
  std::string output;
};

int RunReport(const GlobalOptions& global, const ReportOptions& options) {
  if (!options.format.empty()) {
    return RunExportReport(global, options.session_id, options.format, options.output);
  }
  ControllerClient client(global);
  v1::GetAssessmentRequest request;
  request.set_session_id(options.session_id);
  request.set_viewer_role(options.as_learner ? v1::VIEWER_ROLE_LEARNER
                                             : v1::VIEWER_ROLE_INSTRUCTOR);
  v1::Assessment assessment;
  grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.assessments().GetAssessment(&context, request, &assessment);
  });
  if (!status.ok() || global.json) {
    return client.Respond<v1::Assessment>(status, assessment, [](const v1::Assessment&) {});
  }
  v1::SessionRef ref;
  ref.set_session_id(options.session_id);
  v1::Session session;
  status = client.CallUnary(
      [&](grpc::ClientContext& context) { return client.sessions().Get(&context, ref, &session); });
  if (!status.ok()) return client.Fail(status);
  std::cout << FormatReport(session, assessment);
  return console::kExitOk;
}

void PrintEventLine(const v1::Event& event) {
  std::cout << "event " << event.id() << ": " << event.summary() << '\n';
}

// Runs a unary call that answers with the event it recorded.
template <typename Request, typename Call>
int RunEventCall(const GlobalOptions& global, const Request& request, Call call) {
  ControllerClient client(global);
  v1::Event event;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return (client.assessments().*call)(&context, request, &event);
  });
  return client.Respond<v1::Event>(status, event, PrintEventLine);
}

void AddReportCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* report = session.add_subcommand(
      "report",
      "Print the performance report: grades with their evidence, doses, CPR, "
      "competencies");
  report->add_option("ID", options->session_id, "Session id")->required();
  report->add_flag("--as-learner", options->as_learner,
                   "Show what learners see (grades withheld until released)");
  report
      ->add_option("--format", options->format,
                   "The recorded session's full report instead: html (one printable page with "
                   "plots), json, csv (per second) or vtt (WebVTT chapters for a video)")
      ->check(CLI::IsMember({"html", "json", "csv", "vtt"}))
      ->excludes("--as-learner");
  report->add_option("--output,-o", options->output,
                     "With --format: write here (- = stdout); default: the suggested name");
  report->callback(
      [&, options] { selected = [&, options] { return RunReport(global, *options); }; });
}

void AddGradeCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto request = std::make_shared<v1::OverrideGradeRequest>();
  auto grade = std::make_shared<std::string>();
  CLI::App* command = session.add_subcommand("grade", "Override an item's grade (logged with who)");
  command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
  command->add_option("ITEM", *request->mutable_item(), "Item name, as the report lists it")
      ->required();
  command->add_option("GRADE", *grade, "met, met_late, wrong, omitted, not_applicable, pending")
      ->required()
      ->transform(EnumNameValidator(v1::Grade_descriptor()));
  command->add_option("--comment", *request->mutable_comment(), "Why")->required();
  command->add_option("--instructor", *request->mutable_instructor(),
                      "Who, when not the account signed in (recorded beside its name)");
  command->callback([&, request, grade] {
    selected = [&, request, grade] {
      v1::Grade parsed = v1::GRADE_UNSPECIFIED;
      v1::Grade_Parse(*grade, &parsed);
      request->set_grade(parsed);
      return RunEventCall(global, *request, &v1::AssessmentService::Stub::OverrideGrade);
    };
  });
}

void AddScoreCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto request = std::make_shared<v1::ScoreItemRequest>();
  auto score = std::make_shared<int>();
  CLI::App* command =
      session.add_subcommand("score", "Score an instructor-scored item on its scale");
  command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
  command->add_option("ITEM", *request->mutable_item(), "Item name")->required();
  command->add_option("SCORE", *score, "Score on the item's scale")->required();
  command->add_option("--comment", *request->mutable_comment(), "Why");
  command->add_option("--instructor", *request->mutable_instructor(),
                      "Who, when not the account signed in (recorded beside its name)");
  command->callback([&, request, score] {
    selected = [&, request, score] {
      request->set_score(*score);
      return RunEventCall(global, *request, &v1::AssessmentService::Stub::ScoreItem);
    };
  });
}

void AddReleaseCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto request = std::make_shared<v1::ReleaseScoresRequest>();
  CLI::App* command = session.add_subcommand("release", "Let learners see their grades");
  command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
  command->add_option("--instructor", *request->mutable_instructor(),
                      "Who, when not the account signed in (recorded beside its name)");
  command->callback([&, request] {
    selected = [&, request] {
      return RunEventCall(global, *request, &v1::AssessmentService::Stub::ReleaseScores);
    };
  });
}

void AddModeCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto request = std::make_shared<v1::SetLearningModeRequest>();
  auto mode = std::make_shared<std::string>();
  CLI::App* command = session.add_subcommand("mode", "Switch between scored and formative");
  command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
  command->add_option("MODE", *mode, "scored or formative")
      ->required()
      ->transform(EnumNameValidator(v1::LearningMode_descriptor()));
  command->add_option("--instructor", *request->mutable_instructor(),
                      "Who, when not the account signed in (recorded beside its name)");
  command->callback([&, request, mode] {
    selected = [&, request, mode] {
      v1::LearningMode parsed = v1::LEARNING_MODE_UNSPECIFIED;
      v1::LearningMode_Parse(*mode, &parsed);
      request->set_mode(parsed);
      return RunEventCall(global, *request, &v1::AssessmentService::Stub::SetLearningMode);
    };
  });
}

}  // namespace

void AddSessionAssessmentCommands(CLI::App& session, const GlobalOptions& global,
                                  CommandRunner& selected) {
  AddReportCommand(session, global, selected);
  AddGradeCommand(session, global, selected);
  AddScoreCommand(session, global, selected);
  AddReleaseCommand(session, global, selected);
  AddModeCommand(session, global, selected);
}

}  // namespace pedisim::cli
