#include "controller/auth/access_policy.h"

#include <array>

namespace pedisim::auth {

namespace {

// Role sets as bits of Role.
constexpr unsigned Bit(Role role) { return 1u << static_cast<unsigned>(role); }
constexpr unsigned kAdmin = Bit(Role::kAdmin);
constexpr unsigned kStaff = Bit(Role::kAdmin) | Bit(Role::kInstructor);
// Learners read what they took part in; the service narrows it to that.
constexpr unsigned kStaffAndLearners = kStaff | Bit(Role::kLearner);
constexpr unsigned kDevices = kStaff | Bit(Role::kDevice);
constexpr unsigned kEveryone = kStaffAndLearners | Bit(Role::kDevice);
// No token at all.
constexpr unsigned kPublic = ~0u;

struct Rule {
  std::string_view method;
  unsigned roles;
};

constexpr std::array kRules{
    Rule{"/grpc.health.v1.Health/Check", kPublic},
    Rule{"/grpc.health.v1.Health/Watch", kPublic},
    Rule{"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", kPublic},
    Rule{"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", kPublic},

    Rule{"/pedisim.v1.ScenarioService/List", kStaff},
    Rule{"/pedisim.v1.ScenarioService/Get", kStaff},
    Rule{"/pedisim.v1.ScenarioService/Validate", kStaff},
    Rule{"/pedisim.v1.ScenarioService/DryRun", kStaff},

    Rule{"/pedisim.v1.SessionService/Create", kStaff},
    Rule{"/pedisim.v1.SessionService/Start", kStaff},
    Rule{"/pedisim.v1.SessionService/Pause", kStaff},
    Rule{"/pedisim.v1.SessionService/Resume", kStaff},
    Rule{"/pedisim.v1.SessionService/Stop", kStaff},
    Rule{"/pedisim.v1.SessionService/SetSpeed", kStaff},
    Rule{"/pedisim.v1.SessionService/GoToState", kStaff},
    Rule{"/pedisim.v1.SessionService/OverrideVitals", kStaff},
    Rule{"/pedisim.v1.SessionService/LogAction", kStaff},
    Rule{"/pedisim.v1.SessionService/AddBookmark", kStaff},
    Rule{"/pedisim.v1.SessionService/SetRoomDisplay", kStaff},
    Rule{"/pedisim.v1.SessionService/ReleaseDiagnosticResult", kStaff},
    Rule{"/pedisim.v1.SessionService/Get", kStaffAndLearners},
    Rule{"/pedisim.v1.SessionService/List", kStaffAndLearners},
    Rule{"/pedisim.v1.SessionService/Watch", kStaffAndLearners},

    Rule{"/pedisim.v1.AssessmentService/GetAssessment", kStaffAndLearners},
    Rule{"/pedisim.v1.AssessmentService/OverrideGrade", kStaff},
    Rule{"/pedisim.v1.AssessmentService/ScoreItem", kStaff},
    Rule{"/pedisim.v1.AssessmentService/SetLearningMode", kStaff},
    Rule{"/pedisim.v1.AssessmentService/ReleaseScores", kStaff},

    Rule{"/pedisim.v1.DebriefService/ListRecordings", kStaffAndLearners},
    Rule{"/pedisim.v1.DebriefService/GetRecording", kStaffAndLearners},
    Rule{"/pedisim.v1.DebriefService/Replay", kStaffAndLearners},
    Rule{"/pedisim.v1.DebriefService/ExportReport", kStaffAndLearners},
    Rule{"/pedisim.v1.DebriefService/Annotate", kStaff},
    Rule{"/pedisim.v1.DebriefService/Fork", kStaff},
    Rule{"/pedisim.v1.DebriefService/SetLocked", kStaff},
    Rule{"/pedisim.v1.DebriefService/SetArchived", kStaff},
    Rule{"/pedisim.v1.DebriefService/DeleteRecording", kStaff},

    Rule{"/pedisim.v1.DeviceService/Connect", kDevices},

    Rule{"/pedisim.v1.AdminService/AddUser", kAdmin},
    Rule{"/pedisim.v1.AdminService/ListUsers", kAdmin},
    Rule{"/pedisim.v1.AdminService/RemoveUser", kAdmin},
    Rule{"/pedisim.v1.AdminService/CreateToken", kAdmin},
    Rule{"/pedisim.v1.AdminService/RevokeToken", kAdmin},
    Rule{"/pedisim.v1.AdminService/ListTokens", kAdmin},
    Rule{"/pedisim.v1.AdminService/IssueDeviceCertificate", kAdmin},
    Rule{"/pedisim.v1.AdminService/WhoAmI", kEveryone},
    Rule{"/pedisim.v1.AdminService/RenewToken", kEveryone},
    Rule{"/pedisim.v1.AdminService/GetLimits", kAdmin},
    Rule{"/pedisim.v1.AdminService/Backup", kAdmin},
};

const Rule* FindRule(std::string_view method) {
  for (const Rule& rule : kRules) {
    if (rule.method == method) return &rule;
  }
  return nullptr;
}

}  // namespace

bool IsInPolicy(std::string_view method) { return FindRule(method) != nullptr; }

bool IsPublic(std::string_view method) {
  const Rule* rule = FindRule(method);
  return rule != nullptr && rule->roles == kPublic;
}

Access AccessTo(std::string_view method, Role role) {
  const Rule* rule = FindRule(method);
  if (rule == nullptr) return Access::kDenied;
  if (rule->roles == kPublic) return Access::kPublic;
  return (rule->roles & Bit(role)) != 0 ? Access::kAllowed : Access::kDenied;
}

std::vector<std::string_view> MethodsInPolicy() {
  std::vector<std::string_view> methods;
  for (const Rule& rule : kRules) methods.push_back(rule.method);
  return methods;
}

}  // namespace pedisim::auth
