#include "admin_commands.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "client/stored_token.h"
#include "controller_client.h"

namespace pedisim::cli {
namespace {

const std::map<std::string, v1::Role> kRoles = {{"admin", v1::ROLE_ADMIN},
                                                {"instructor", v1::ROLE_INSTRUCTOR},
                                                {"learner", v1::ROLE_LEARNER},
                                                {"device", v1::ROLE_DEVICE}};

std::string RoleText(v1::Role role) {
  for (const auto& [name, value] : kRoles) {
    if (value == role) return name;
  }
  return "unknown";
}

void PrintUser(const v1::User& user) {
  std::cout << user.name() << " (" << RoleText(user.role()) << ")\n";
}

void PrintUsers(const v1::ListUsersResponse& response) {
  std::vector<std::vector<std::string>> rows = {{"NAME", "ROLE", "CREATED"}};
  for (const v1::User& user : response.users()) {
    rows.push_back(
        {user.name(), RoleText(user.role()), console::FormatLocalTime(user.created_at())});
  }
  console::PrintTable(rows);
}

std::string Expiry(const v1::TokenInfo& token) {
  return token.has_expires_at() ? console::FormatLocalTime(token.expires_at()) : "never";
}

void PrintTokens(const v1::ListTokensResponse& response) {
  if (response.tokens().empty()) {
    std::cout << "no tokens\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "USER", "ROLE", "LABEL", "CREATED", "EXPIRES"}};
  for (const v1::TokenInfo& token : response.tokens()) {
    rows.push_back({token.id(), token.user(), RoleText(token.role()), token.label(),
                    console::FormatLocalTime(token.created_at()), Expiry(token)});
  }
  console::PrintTable(rows);
}

// A figure without a pointless ".000000": limits are whole numbers.
std::string Figure(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

void PrintLimits(const v1::GetLimitsResponse& response) {
  std::vector<std::vector<std::string>> rows = {{"LIMIT", "VALUE", "UNIT", "HITS"}};
  for (const v1::ControllerLimit& limit : response.limits()) {
    std::string value = Figure(limit.value());
    if (limit.burst() > 0) value += " (burst " + Figure(limit.burst()) + ")";
    rows.push_back({limit.name(), value, limit.unit(), std::to_string(limit.hits())});
  }
  console::PrintTable(rows);
  std::cout << "hits since " << console::FormatLocalTime(response.since()) << '\n';
}

// Runs one AdminService call and prints its answer.
template <typename Request, typename Response>
int RunAdminCall(const GlobalOptions& global, const Request& request,
                 grpc::Status (v1::AdminService::Stub::*call)(grpc::ClientContext*, const Request&,
                                                              Response*),
                 const std::function<void(const Response&)>& print_human) {
  ControllerClient client(global);
  Response response;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return (client.admin().*call)(&context, request, &response);
  });
  return client.Respond<Response>(status, response, print_human);
}

void AddUserCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  CLI::App* user = app.add_subcommand("user", "Users of the controller (admins only)");
  user->require_subcommand(1);

  auto added = std::make_shared<v1::AddUserRequest>();
  auto role = std::make_shared<std::string>();
  CLI::App* add = user->add_subcommand("add", "Add a user with a role");
  add->add_option("NAME", *added->mutable_user()->mutable_name(),
                  "User name; a learner's is the participant name they take part under")
      ->required();
  add->add_option("--role", *role, "admin, instructor, learner or device")
      ->required()
      ->check(CLI::IsMember({"admin", "instructor", "learner", "device"}));
  add->callback([&, added, role] {
    added->mutable_user()->set_role(kRoles.at(*role));
    selected = [&, added] {
      return RunAdminCall<v1::AddUserRequest, v1::User>(
          global, *added, &v1::AdminService::Stub::AddUser, [](const v1::User& user) {
            std::cout << "added ";
            PrintUser(user);
          });
    };
  });

  CLI::App* list = user->add_subcommand("list", "List the users");
  list->callback([&] {
    selected = [&] {
      return RunAdminCall<v1::ListUsersRequest, v1::ListUsersResponse>(
          global, v1::ListUsersRequest(), &v1::AdminService::Stub::ListUsers, PrintUsers);
    };
  });

  auto removed = std::make_shared<v1::RemoveUserRequest>();
  CLI::App* remove = user->add_subcommand("remove", "Remove a user and revoke their tokens");
  remove->add_option("NAME", *removed->mutable_name(), "User name")->required();
  remove->callback([&, removed] {
    selected = [&, removed] {
      return RunAdminCall<v1::RemoveUserRequest, v1::RemoveUserResponse>(
          global, *removed, &v1::AdminService::Stub::RemoveUser,
          [removed](const v1::RemoveUserResponse& response) {
            std::cout << "removed " << removed->name() << " (" << response.tokens_revoked()
                      << " tokens revoked)\n";
          });
    };
  });
}

void AddTokenCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  CLI::App* token = app.add_subcommand("token", "Users' tokens (admins only)");
  token->require_subcommand(1);

  auto created = std::make_shared<v1::CreateTokenRequest>();
  CLI::App* create = token->add_subcommand(
      "create", "Make a token for a user; it is printed on stdout this once only");
  create->add_option("USER", *created->mutable_user(), "User name")->required();
  create->add_option("--label", *created->mutable_label(),
                     "What the token is for, e.g. \"monitor in room 3\"");
  auto lifetime = std::make_shared<uint32_t>(0);
  create
      ->add_option("--lifetime-days", *lifetime,
                   "Days the token works (0: until revoked); default: the controller's for the "
                   "user's role (--token-lifetime-days, 180 for people; devices: until revoked)")
      ->check(CLI::Range(0, 3650));
  create->callback([&, created, lifetime, create] {
    if (create->count("--lifetime-days") > 0) created->set_lifetime_days(*lifetime);
    selected = [&, created] {
      return RunAdminCall<v1::CreateTokenRequest, v1::CreateTokenResponse>(
          global, *created, &v1::AdminService::Stub::CreateToken,
          [](const v1::CreateTokenResponse& response) {
            std::cerr << "token " << response.info().id() << " for " << response.info().user()
                      << " (" << RoleText(response.info().role()) << "), expires "
                      << Expiry(response.info()) << "; keep it secret, it is not shown again:\n";
            std::cout << response.token() << '\n';
          });
    };
  });

  auto revoked = std::make_shared<v1::RevokeTokenRequest>();
  CLI::App* revoke = token->add_subcommand("revoke", "Stop a token from working");
  revoke->add_option("ID", *revoked->mutable_id(), "Token id (token list)")->required();
  revoke->callback([&, revoked] {
    selected = [&, revoked] {
      return RunAdminCall<v1::RevokeTokenRequest, v1::RevokeTokenResponse>(
          global, *revoked, &v1::AdminService::Stub::RevokeToken,
          [](const v1::RevokeTokenResponse& response) {
            std::cout << "revoked token " << response.revoked().id() << " of "
                      << response.revoked().user() << '\n';
          });
    };
  });

  auto listed = std::make_shared<v1::ListTokensRequest>();
  CLI::App* list = token->add_subcommand("list", "List tokens (ids, never secrets)");
  list->add_option("--user", *listed->mutable_user(), "Only this user's");
  list->callback([&, listed] {
    selected = [&, listed] {
      return RunAdminCall<v1::ListTokensRequest, v1::ListTokensResponse>(
          global, *listed, &v1::AdminService::Stub::ListTokens, PrintTokens);
    };
  });
}

// The token to log in with: as the global options resolved it (--token,
// PEDISIM_TOKEN, --token-file, ...), else one line from standard input.
std::string LoginToken(const GlobalOptions& global) {
  if (!global.connection.token.empty()) return global.connection.token;
  if (isatty(STDIN_FILENO)) std::cerr << "token (as your administrator gave it): " << std::flush;
  std::string token;
  std::getline(std::cin, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  return token;
}

// pedisimctl login [--renew]: checks the token (WhoAmI), or exchanges it
// for a new one with a fresh lifetime (RenewToken), and stores it for this
// controller, mode 0600, so later calls need no flag.
int Login(GlobalOptions global, bool renew) {
  const std::filesystem::path file = client::StoredTokenFile(global.controller);
  if (file.empty()) {
    console::PrintError(
        "login: neither XDG_CONFIG_HOME nor HOME is set: nowhere to keep the token");
    return console::kExitUsage;
  }
  global.connection.token = LoginToken(global);
  if (global.connection.token.empty()) {
    console::PrintError("login: no token given (--token-file, PEDISIM_TOKEN or standard input)");
    return console::kExitUsage;
  }
  ControllerClient client(global);
  std::string token = global.connection.token;
  std::string expires;
  if (renew) {
    v1::CreateTokenResponse renewed;
    const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
      return client.admin().RenewToken(&context, v1::RenewTokenRequest(), &renewed);
    });
    if (!status.ok()) return client.Respond<v1::CreateTokenResponse>(status, renewed, nullptr);
    token = renewed.token();
    expires = Expiry(renewed.info());
  }
  v1::User me;
  global.connection.token = token;
  ControllerClient as_me(global);
  const grpc::Status status = as_me.CallUnary([&](grpc::ClientContext& context) {
    return as_me.admin().WhoAmI(&context, v1::WhoAmIRequest(), &me);
  });
  if (!status.ok()) return as_me.Respond<v1::User>(status, me, nullptr);
  std::string error;
  if (!client::StoreToken(file, token, &error)) {
    console::PrintError("login: " + error);
    return console::kExitNotFound;
  }
  return as_me.Respond<v1::User>(status, me, [&](const v1::User& user) {
    std::cout << "logged in to " << global.controller << " as " << user.name() << " ("
              << RoleText(user.role()) << ")";
    if (!expires.empty()) std::cout << "; the token expires " << expires;
    std::cout << "\ntoken stored in " << file.string() << " (mode 0600)\n";
  });
}

void AddLoginCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  auto renew = std::make_shared<bool>(false);
  CLI::App* login = app.add_subcommand(
      "login",
      "Store a token for this controller so later calls need no --token-file (the token: "
      "--token-file, PEDISIM_TOKEN, or standard input)");
  login->add_flag("--renew", *renew,
                  "Exchange the token for a new one with a fresh lifetime first (RenewToken; "
                  "the old one stops working)");
  login->callback([&, renew] { selected = [&, renew] { return Login(global, *renew); }; });
  CLI::App* logout =
      app.add_subcommand("logout", "Forget the token login stored for this controller");
  logout->callback([&] {
    selected = [&] {
      const std::filesystem::path file = client::StoredTokenFile(global.controller);
      std::error_code ignored;
      const bool removed = !file.empty() && std::filesystem::remove(file, ignored);
      std::cout << (removed ? "forgot the token of " : "no token stored for ") << global.controller
                << '\n';
      return 0;
    };
  });
}

}  // namespace

void AddAdminCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  AddUserCommands(app, global, selected);
  AddTokenCommands(app, global, selected);
  AddLoginCommands(app, global, selected);
  CLI::App* limits = app.add_subcommand(
      "limits", "The controller's limits and how often each was hit (admins only)");
  limits->callback([&] {
    selected = [&] {
      return RunAdminCall<v1::GetLimitsRequest, v1::GetLimitsResponse>(
          global, v1::GetLimitsRequest(), &v1::AdminService::Stub::GetLimits, PrintLimits);
    };
  });
  CLI::App* whoami = app.add_subcommand("whoami", "The user and role the token identifies");
  whoami->callback([&] {
    selected = [&] {
      return RunAdminCall<v1::WhoAmIRequest, v1::User>(global, v1::WhoAmIRequest(),
                                                       &v1::AdminService::Stub::WhoAmI, PrintUser);
    };
  });
}

}  // namespace pedisim::cli
