#include "core/checks/request_checks.h"

#include <fmt/format.h>

#include "core/vitals/vital_table.h"

namespace pedisim::checks {

namespace {

constexpr double kMinSpeed = 0.25;
constexpr double kMaxSpeed = 8.0;

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

grpc::Status CheckOptionalPositive(bool has, double value, const std::string& field) {
  if (has && !(value > 0))
    return Invalid(fmt::format("{}: must be positive, got {:g}", field, value));
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CheckSessionId(const std::string& session_id) {
  if (session_id.empty()) return Invalid("session_id: required");
  return grpc::Status::OK;
}

grpc::Status CheckSpeed(double speed, const std::string& field) {
  if (!(speed >= kMinSpeed && speed <= kMaxSpeed)) {
    return Invalid(fmt::format("{}: must be between {:g} and {:g}, got {:g}", field, kMinSpeed,
                               kMaxSpeed, speed));
  }
  return grpc::Status::OK;
}

grpc::Status CheckCreate(const v1::CreateSessionRequest& request) {
  if (request.scenario_id().empty()) return Invalid("scenario_id: required");
  if (request.speed() != 0) {
    if (grpc::Status status = CheckSpeed(request.speed(), "speed"); !status.ok()) return status;
  }
  for (int i = 0; i < request.participants_size(); ++i) {
    if (request.participants(i).name().empty()) {
      return Invalid(fmt::format("participants[{}].name: required", i));
    }
  }
  if (request.tags_size() > 32) return Invalid("tags: at most 32");
  for (int i = 0; i < request.tags_size(); ++i) {
    const std::string& tag = request.tags(i);
    if (tag.empty() || tag.size() > 64 || tag.find('\n') != std::string::npos) {
      return Invalid(fmt::format("tags[{}]: 1 to 64 characters on one line", i));
    }
  }
  for (int i = 0; i < request.devices_size(); ++i) {
    if (request.devices(i).adapter().empty()) {
      return Invalid(fmt::format("devices[{}].adapter: required", i));
    }
  }
  return grpc::Status::OK;
}

grpc::Status CheckOverride(const v1::OverrideVitalsRequest& request) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok()) return status;
  const v1::Vitals& vitals = request.vitals();
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    if (!(vitals.*field.has)()) continue;
    const double value = (vitals.*field.get)();
    if (!(value >= field.min && value <= field.max)) {
      return Invalid(fmt::format("vitals.{}: {:g} is outside {:g}..{:g} {}", field.name, value,
                                 field.min, field.max, field.unit));
    }
  }
  if (vitals.has_rhythm() &&
      (vitals.rhythm() == v1::RHYTHM_UNSPECIFIED || !v1::Rhythm_IsValid(vitals.rhythm()))) {
    return Invalid("vitals.rhythm: must name a rhythm");
  }
  for (int i = 0; i < request.release_size(); ++i) {
    const std::string& name = request.release(i);
    if (name != "rhythm" && !vitals::VitalFieldIndex(name)) {
      return Invalid(fmt::format("release[{}]: '{}' is not a vital (use one of: {}, rhythm)", i,
                                 name, vitals::VitalFieldNames()));
    }
  }
  if (vitals.ByteSizeLong() == 0 && request.release_size() == 0) {
    return Invalid("vitals: set at least one parameter, or name parameters in release");
  }
  if (!(request.trend_duration_s() >= 0 && request.trend_duration_s() <= 3600)) {
    return Invalid(fmt::format("trend_duration_s: must be between 0 and 3600, got {:g}",
                               request.trend_duration_s()));
  }
  return grpc::Status::OK;
}

grpc::Status CheckAction(const v1::LearnerAction& action, const std::string& field) {
  if (action.kind() == v1::ACTION_KIND_UNSPECIFIED || !v1::ActionKind_IsValid(action.kind())) {
    return Invalid(field + ".kind: required");
  }
  if (action.kind() == v1::ACTION_KIND_DRUG && action.drug().empty()) {
    return Invalid(field + ".drug: required for a drug action");
  }
  if (action.kind() == v1::ACTION_KIND_DIAGNOSTIC_ORDERED &&
      action.diagnostic().find_first_not_of(" \t") == std::string::npos) {
    return Invalid(field + ".diagnostic: required for a diagnostic test ordered (blood_gas, ...)");
  }
  if (grpc::Status s =
          CheckOptionalPositive(action.has_dose_mg(), action.dose_mg(), field + ".dose_mg");
      !s.ok()) {
    return s;
  }
  if (grpc::Status s =
          CheckOptionalPositive(action.has_energy_j(), action.energy_j(), field + ".energy_j");
      !s.ok()) {
    return s;
  }
  if (grpc::Status s =
          CheckOptionalPositive(action.has_volume_ml(), action.volume_ml(), field + ".volume_ml");
      !s.ok()) {
    return s;
  }
  return CheckOptionalPositive(action.has_oxygen_flow_l_per_min(), action.oxygen_flow_l_per_min(),
                               field + ".oxygen_flow_l_per_min");
}

grpc::Status CheckGoToState(const v1::GoToStateRequest& request) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok()) return status;
  if (request.state().empty()) return Invalid("state: required");
  return grpc::Status::OK;
}

grpc::Status CheckReleaseDiagnosticResult(const v1::ReleaseDiagnosticResultRequest& request) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok()) return status;
  if (request.diagnostic().find_first_not_of(" \t") == std::string::npos) {
    return Invalid("diagnostic: required (the test, as ordered: blood_gas, ...)");
  }
  return grpc::Status::OK;
}

grpc::Status CheckBookmark(const v1::AddBookmarkRequest& request) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok()) return status;
  if (request.label().empty()) return Invalid("label: required");
  return grpc::Status::OK;
}

grpc::Status CheckClaimedName(const std::string& name, const std::string& field) {
  if (name.size() > 100) return Invalid(field + ": at most 100 characters");
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Invalid(field + ": no control characters");
    }
    if (c == '(' || c == ')') return Invalid(field + ": no parentheses");
  }
  return grpc::Status::OK;
}

grpc::Status CheckRoomDisplay(const v1::SetRoomDisplayRequest& request) {
  if (grpc::Status status = CheckSessionId(request.session_id()); !status.ok()) return status;
  const v1::RoomDisplay& display = request.display();
  for (int i = 0; i < display.hidden_vitals_size(); ++i) {
    if (!vitals::VitalFieldIndex(display.hidden_vitals(i))) {
      return Invalid(fmt::format("display.hidden_vitals[{}]: unknown vital '{}' (one of {})", i,
                                 display.hidden_vitals(i), vitals::VitalFieldNames()));
    }
  }
  for (int i = 0; i < display.alarm_limits_size(); ++i) {
    const v1::VitalRange& range = display.alarm_limits(i);
    if (!vitals::VitalFieldIndex(range.vital())) {
      return Invalid(fmt::format("display.alarm_limits[{}].vital: unknown vital '{}' (one of {})",
                                 i, range.vital(), vitals::VitalFieldNames()));
    }
    if (!(range.low() < range.high())) {
      return Invalid(fmt::format("display.alarm_limits[{}]: low {:g} must be below high {:g}", i,
                                 range.low(), range.high()));
    }
  }
  if (display.has_wave_rows() && (display.wave_rows() < 2 || display.wave_rows() > 6)) {
    return Invalid(fmt::format("display.wave_rows: from 2 to 6, got {}", display.wave_rows()));
  }
  if (display.has_volume_pct() && display.volume_pct() > 100) {
    return Invalid(fmt::format("display.volume_pct: from 0 to 100, got {}", display.volume_pct()));
  }
  return grpc::Status::OK;
}

}  // namespace pedisim::checks
