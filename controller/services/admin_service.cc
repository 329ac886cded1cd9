#include "controller/services/admin_service.h"

#include <spdlog/spdlog.h>

#include "controller/auth/caller.h"
#include "controller/services/answer.h"
#include "controller/services/backup_reactor.h"
#include "controller/services/refusal_reactor.h"
#include "core/wall_clock.h"

namespace pedisim::services {

namespace {

// Changes to who may do what are worth a line in the log, with who did it.
void Audit(const grpc::CallbackServerContext& context, const grpc::Status& status,
           const std::string& what) {
  if (status.ok()) spdlog::info("{} (by '{}')", what, auth::CallerOf(context).name);
}

}  // namespace

grpc::ServerUnaryReactor* AdminServiceImpl::AddUser(Context* context,
                                                    const v1::AddUserRequest* request,
                                                    v1::User* response) {
  return AnswerGuarded(context, "AdminService.AddUser", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const grpc::Status status = store_.AddUser(request->user(), response);
    Audit(*context, status,
          "user '" + response->name() + "' added as " + v1::Role_Name(response->role()));
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListUsers(Context* context, const v1::ListUsersRequest*,
                                                      v1::ListUsersResponse* response) {
  return AnswerGuarded(context, "AdminService.ListUsers", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    for (v1::User& user : store_.ListUsers()) *response->add_users() = std::move(user);
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RemoveUser(Context* context,
                                                       const v1::RemoveUserRequest* request,
                                                       v1::RemoveUserResponse* response) {
  return AnswerGuarded(context, "AdminService.RemoveUser", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (request->name().empty()) {
      return Answer(context, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "name: required"));
    }
    if (request->name() == auth::CallerOf(*context).name) {
      return Answer(context, grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                          "name: you cannot remove your own account"));
    }
    uint32_t revoked = 0;
    const grpc::Status status = store_.RemoveUser(request->name(), &revoked);
    response->set_tokens_revoked(revoked);
    Audit(*context, status,
          "user '" + request->name() + "' removed with " + std::to_string(revoked) + " tokens");
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateToken(Context* context,
                                                        const v1::CreateTokenRequest* request,
                                                        v1::CreateTokenResponse* response) {
  return AnswerGuarded(context, "AdminService.CreateToken", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (request->user().empty()) {
      return Answer(context, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "user: required"));
    }
    const grpc::Status status = store_.CreateToken(
        request->user(), request->label(),
        request->has_lifetime_days() ? std::optional<uint32_t>(request->lifetime_days())
                                     : std::nullopt,
        response);
    Audit(*context, status,
          "token " + response->info().id() + " created for '" + request->user() + "'");
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RenewToken(Context* context,
                                                       const v1::RenewTokenRequest* /*request*/,
                                                       v1::CreateTokenResponse* response) {
  return AnswerGuarded(context, "AdminService.RenewToken", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const grpc::Status status = store_.RenewToken(auth::CallerOf(*context).credential, response);
    Audit(*context, status, "token renewed as " + response->info().id());
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::IssueDeviceCertificate(
    Context* context, const v1::IssueDeviceCertificateRequest* request,
    v1::DeviceCertificate* response) {
  return AnswerGuarded(context, "AdminService.IssueDeviceCertificate", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (request->user_name().empty()) {
      return Answer(context,
                    grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "user_name: required"));
    }
    v1::User user;
    if (const grpc::Status found = store_.FindUser(request->user_name(), &user); !found.ok()) {
      return Answer(context, grpc::Status(grpc::StatusCode::NOT_FOUND,
                                          "user_name: no user '" + request->user_name() + "'"));
    }
    if (user.role() != v1::ROLE_DEVICE) {
      // A certificate only ever authenticates a device: staff keep tokens.
      return Answer(
          context,
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "user_name: '" + user.name() + "' has " + v1::Role_Name(user.role()) +
                           ", not ROLE_DEVICE; certificates are for device users only"));
    }
    if (device_ca_ == nullptr) {
      return Answer(context, grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                          "no device CA: " + why_no_device_ca_));
    }
    const grpc::Status status =
        device_ca_->Issue(user.name(), request->certificate_signing_request_pem(), response);
    Audit(*context, status,
          "device certificate " + response->fingerprint_sha256() + " issued for '" + user.name() +
              "', valid until " + std::to_string(response->not_after_unix_s()) + " (Unix s)");
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeToken(Context* context,
                                                        const v1::RevokeTokenRequest* request,
                                                        v1::RevokeTokenResponse* response) {
  return AnswerGuarded(context, "AdminService.RevokeToken", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const grpc::Status status = store_.RevokeToken(request->id(), response->mutable_revoked());
    Audit(*context, status,
          "token " + request->id() + " of '" + response->revoked().user() + "' revoked");
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListTokens(Context* context,
                                                       const v1::ListTokensRequest* request,
                                                       v1::ListTokensResponse* response) {
  return AnswerGuarded(context, "AdminService.ListTokens", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (!request->user().empty()) {
      v1::User user;
      if (grpc::Status status = store_.FindUser(request->user(), &user); !status.ok()) {
        return Answer(context,
                      grpc::Status(status.error_code(), "user: no user '" + request->user() + "'"));
      }
    }
    for (v1::TokenInfo& token : store_.ListTokens(request->user())) {
      *response->add_tokens() = std::move(token);
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::WhoAmI(Context* context, const v1::WhoAmIRequest*,
                                                   v1::User* response) {
  return AnswerGuarded(context, "AdminService.WhoAmI", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    return Answer(context, store_.FindUser(auth::CallerOf(*context).name, response));
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetLimits(Context* context, const v1::GetLimitsRequest*,
                                                      v1::GetLimitsResponse* response) {
  return AnswerGuarded(context, "AdminService.GetLimits", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    for (const limits::LimitFigure& figure : limits_.Figures()) {
      v1::ControllerLimit& limit = *response->add_limits();
      limit.set_name(figure.flag);
      limit.set_description(figure.description);
      limit.set_value(figure.value);
      limit.set_unit(figure.unit);
      limit.set_burst(figure.burst);
      limit.set_hits(figure.hits);
    }
    *response->mutable_since() = ToTimestamp(limits_.since());
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerWriteReactor<v1::BackupChunk>* AdminServiceImpl::Backup(
    Context* context, const v1::BackupRequest* /*request*/) {
  if (auto* refused = RefuseStream<v1::BackupChunk>(context)) return refused;
  if (backing_up_.exchange(true)) {
    return new RefusalReactor<v1::BackupChunk>(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "a backup is being taken already; try again when it is done"));
  }
  spdlog::info("backup of {} (by '{}')", data_dir_.string(), auth::CallerOf(*context).name);
  return new BackupReactor(data_dir_, backing_up_);
}

}  // namespace pedisim::services
