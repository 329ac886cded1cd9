// Human-readable rendering of contract messages, shared by the one-shot
// commands and the watch printer.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <string>

#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/session.pb.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::console {

// "172", "38.4": fixed decimals, no trailing noise.
std::string FormatNumber(double value, int decimals);

// Simulated time as "mm:ss" (minutes keep counting past 59).
std::string FormatClock(double sim_time_s);

// Simulated time as "mm:ss.s", for event lines.
std::string FormatEventClock(double sim_time_s);

// "2 s", "1.5 s".
std::string FormatSeconds(double seconds);

// "8x", "0.25x".
std::string FormatSpeed(double speed);

// "HR 172 bpm  SpO2 88%  ...": only the set fields; overridden ones (Vitals
// field names) get a '*' after their value.
std::string FormatVitals(const v1::Vitals& vitals,
                         const google::protobuf::RepeatedPtrField<std::string>& overridden = {});

// A state's vitals as a scenario listing shows them, with their trend time:
// "vitals  HR 130 bpm  over 120 s"; a relative state's (State.vitals_relative)
// are changes to the previous state's targets, not values: "changes  HR -20
// bpm (added to the previous targets)". Empty when the state sets none.
std::string FormatStateVitals(const v1::State& state);

// What a transition waits for, in words: "after 2 s in state", "at 10:00",
// "on drug epinephrine 0.01-0.02 mg/kg IV/IO", "when spo2_pct < 90 for 10 s",
// "by instructor choice".
std::string FormatTrigger(const v1::Transition& transition);

// The actions an action condition matches: "oxygen", "defibrillation
// 2-4 J/kg", "drug adenosine ≥ 0.1 mg/kg IV x2 within 60 s".
std::string FormatActionTrigger(const v1::ActionTrigger& trigger);

// "8 months"; empty when the age is unset.
std::string FormatAge(const v1::Patient& patient);

// "Ava, 8 months, female, 7.9 kg (estimated)".
std::string FormatPatient(const v1::Patient& patient);

// "[mm:ss.s] agent       summary"; state changes read "==> state: NAME" and,
// with `emphasize`, are drawn in bold for terminals.
std::string FormatEvent(const v1::Event& event, bool emphasize = false);

// The multi-line description printed by `session show` and `session create`.
std::string FormatSession(const v1::Session& session);

// "file:line:col: error: message", leaving out an unknown line or column.
// `fallback_file` names the file when the diagnostic does not.
std::string FormatDiagnostic(const v1::Diagnostic& diagnostic, const std::string& fallback_file);

// Creation time in local time, "2024-05-01 14:03".
std::string FormatLocalTime(const google::protobuf::Timestamp& timestamp);

}  // namespace pedisim::console
