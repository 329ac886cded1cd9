#pragma once

#include "controller/auth/token_store.h"
#include "controller/limits/limit_counters.h"
#include "pedisim/v1/admin_service.grpc.pb.h"

namespace pedisim::services {

// AdminService: users and tokens in the TokenStore, and
// the controller's limits with their counters. Who may call what is the
// access table's business (admins; WhoAmI anyone).
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  AdminServiceImpl(auth::TokenStore& store, const limits::LimitCounters& limits)
      : store_(store), limits_(limits) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* AddUser(Context*, const v1::AddUserRequest*, v1::User*) override;
  Reactor* ListUsers(Context*, const v1::ListUsersRequest*, v1::ListUsersResponse*) override;
  Reactor* RemoveUser(Context*, const v1::RemoveUserRequest*, v1::RemoveUserResponse*) override;
  Reactor* CreateToken(Context*, const v1::CreateTokenRequest*, v1::CreateTokenResponse*) override;
  Reactor* RevokeToken(Context*, const v1::RevokeTokenRequest*, v1::RevokeTokenResponse*) override;
  Reactor* ListTokens(Context*, const v1::ListTokensRequest*, v1::ListTokensResponse*) override;
  Reactor* WhoAmI(Context*, const v1::WhoAmIRequest*, v1::User*) override;
  Reactor* GetLimits(Context*, const v1::GetLimitsRequest*, v1::GetLimitsResponse*) override;

 private:
  auth::TokenStore& store_;
  const limits::LimitCounters& limits_;
};

}  // namespace pedisim::services
