#pragma once

#include <atomic>
#include <filesystem>

#include "controller/auth/token_store.h"
#include "controller/limits/limit_counters.h"
#include "controller/tls/controller_certificates.h"
#include "pedisim/v1/admin_service.grpc.pb.h"

namespace pedisim::services {

// AdminService: users and tokens in the TokenStore, devices' client
// certificates from the device CA, and the controller's limits with their
// counters. Who may call what is the access table's business (admins;
// WhoAmI anyone).
class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  // `device_ca` null: IssueDeviceCertificate fails with
  // `why_no_device_ca`.
  // `data_dir`: the data folder Backup copies.
  AdminServiceImpl(auth::TokenStore& store, const limits::LimitCounters& limits,
                   const tls::DeviceCertificateAuthority* device_ca, std::string why_no_device_ca,
                   std::filesystem::path data_dir)
      : store_(store),
        limits_(limits),
        device_ca_(device_ca),
        why_no_device_ca_(std::move(why_no_device_ca)),
        data_dir_(std::move(data_dir)) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* AddUser(Context*, const v1::AddUserRequest*, v1::User*) override;
  Reactor* ListUsers(Context*, const v1::ListUsersRequest*, v1::ListUsersResponse*) override;
  Reactor* RemoveUser(Context*, const v1::RemoveUserRequest*, v1::RemoveUserResponse*) override;
  Reactor* CreateToken(Context*, const v1::CreateTokenRequest*, v1::CreateTokenResponse*) override;
  Reactor* RenewToken(Context*, const v1::RenewTokenRequest*, v1::CreateTokenResponse*) override;
  Reactor* RevokeToken(Context*, const v1::RevokeTokenRequest*, v1::RevokeTokenResponse*) override;
  Reactor* ListTokens(Context*, const v1::ListTokensRequest*, v1::ListTokensResponse*) override;
  Reactor* WhoAmI(Context*, const v1::WhoAmIRequest*, v1::User*) override;
  Reactor* IssueDeviceCertificate(Context*, const v1::IssueDeviceCertificateRequest*,
                                  v1::DeviceCertificate*) override;
  Reactor* GetLimits(Context*, const v1::GetLimitsRequest*, v1::GetLimitsResponse*) override;
  grpc::ServerWriteReactor<v1::BackupChunk>* Backup(Context*, const v1::BackupRequest*) override;

 private:
  auth::TokenStore& store_;
  const limits::LimitCounters& limits_;
  const tls::DeviceCertificateAuthority* const device_ca_;
  const std::string why_no_device_ca_;
  const std::filesystem::path data_dir_;
  // A backup is being taken (one at a time).
  std::atomic<bool> backing_up_{false};
};

}  // namespace pedisim::services
