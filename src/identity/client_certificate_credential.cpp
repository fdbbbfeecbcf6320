// Client credentials grant with a certificate: a client assertion signed RS256 per request
// (Microsoft Entra "certificate credentials": header x5t#S256 and x5t, claims aud, iss, sub, jti,
// nbf, iat, exp).
#include "identity/jwt.hpp"
#include "identity/token_endpoint.hpp"

#include <wisetup/core/error.hpp>
#include <wisetup/http/base64.hpp>
#include <wisetup/http/guid.hpp>
#include <wisetup/identity/client_assertion_credential.hpp>
#include <wisetup/identity/client_certificate_credential.hpp>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>
#include <vector>

namespace wisetup::identity {
namespace {

constexpr std::chrono::minutes k_assertion_lifetime{10};
/// Far more than any certificate chain; stops a wrong path (a device, a log) from being slurped.
constexpr std::size_t k_max_file_size = 1024 * 1024;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

/// One "-----BEGIN <label>-----" ... "-----END <label>-----" section, markers included.
struct PemBlock {
  std::string label;
  std::string_view text;
};

std::vector<PemBlock> pem_blocks(std::string_view content) {
  constexpr std::string_view k_begin = "-----BEGIN ";
  constexpr std::string_view k_dashes = "-----";
  std::vector<PemBlock> blocks;
  for (auto begin = content.find(k_begin); begin != std::string_view::npos;
       begin = content.find(k_begin, begin + 1)) {
    auto const label_start = begin + k_begin.size();
    auto const label_end = content.find(k_dashes, label_start);
    if (label_end == std::string_view::npos) {
      break;
    }
    auto const label = content.substr(label_start, label_end - label_start);
    auto const end_marker = "-----END " + std::string(label) + "-----";
    auto const end = content.find(end_marker, label_end);
    if (end == std::string_view::npos) {
      break;
    }
    blocks.push_back({std::string(label), content.substr(begin, end + end_marker.size() - begin)});
    begin = end;
  }
  return blocks;
}

BioPtr memory_bio(std::string_view text) {
  BioPtr bio{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
  if (!bio) {
    throw core::Error("OpenSSL could not allocate a memory buffer");
  }
  return bio;
}

/// The reason of OpenSSL's last error ("bad decrypt"), and a clean error queue for the next
/// caller.
std::string openssl_reason() {
  auto const* reason = ERR_reason_error_string(ERR_peek_last_error());
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown reason";
}

struct PasswordRequest {
  std::string const* password = nullptr;
  bool asked = false;
};

/// OpenSSL's pem_password_cb: hands over the password, or refuses when there is none.
int password_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  auto* request = static_cast<PasswordRequest*>(user);
  request->asked = true;
  auto const& password = *request->password;
  if (password.empty() || password.size() > static_cast<std::size_t>(size)) {
    return -1;
  }
  std::memcpy(buffer, password.data(), password.size());
  return static_cast<int>(password.size());
}

std::string read_file(std::string const& path) {
  std::ifstream file{path, std::ios::binary};
  if (!file) {
    auto const reason = std::error_code(errno, std::generic_category()).message();
    throw core::InvalidInput("cannot read the client certificate " + path +
                             " (AZURE_CLIENT_CERTIFICATE_PATH): " + reason +
                             "; set it to a readable PEM file holding the certificate and its "
                             "private key");
  }
  std::string content;
  std::array<char, 4096> buffer{};
  while (file.read(buffer.data(), buffer.size()) || file.gcount() > 0) {
    content.append(buffer.data(), static_cast<std::size_t>(file.gcount()));
    if (content.size() > k_max_file_size) {
      throw core::InvalidInput("the client certificate " + path +
                               " (AZURE_CLIENT_CERTIFICATE_PATH) is larger than 1 MiB, so it is "
                               "not a PEM certificate; set it to the PEM file of the certificate "
                               "and its private key");
    }
  }
  return content;
}

std::string digest(X509 const* certificate, EVP_MD const* type) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> bytes{};
  unsigned size = 0;
  if (X509_digest(certificate, type, bytes.data(), &size) != 1) {
    throw core::Error("OpenSSL could not hash the client certificate: " + openssl_reason());
  }
  return {reinterpret_cast<char const*>(bytes.data()), size};
}

std::string upper_hex(std::string_view bytes) {
  static constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char const c : bytes) {
    out += k_hex[c >> 4U];
    out += k_hex[c & 0x0FU];
  }
  return out;
}

} // namespace

/// Standard base64 (not url) of a certificate's DER, as x5c carries it.
std::string der_base64(X509 const* certificate) {
  unsigned char* der = nullptr;
  int const length = i2d_X509(certificate, &der);
  if (length <= 0) {
    return {};
  }
  std::string bytes(reinterpret_cast<char const*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return http::base64_encode(bytes);
}

struct Pkcs12Free {
  void operator()(PKCS12* p12) const { PKCS12_free(p12); }
};

/// A PFX / PKCS#12 file: its private key and certificates (the key's first, then the chain).
std::pair<PkeyPtr, std::vector<X509Ptr>>
read_pkcs12(std::string const& content, std::string const& password, std::string const& where) {
  auto bio = memory_bio(content);
  std::unique_ptr<PKCS12, Pkcs12Free> p12{d2i_PKCS12_bio(bio.get(), nullptr)};
  if (!p12) {
    ERR_clear_error();
    throw core::InvalidInput(
        "the client certificate " + where +
        " is neither PEM nor PFX (PKCS#12); give a PEM file with the certificate and its private "
        "key, or the .pfx exported with its key");
  }
  EVP_PKEY* raw_key = nullptr;
  X509* raw_certificate = nullptr;
  STACK_OF(X509)* raw_chain = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &raw_key, &raw_certificate, &raw_chain) != 1) {
    ERR_clear_error();
    throw core::InvalidInput(password.empty()
                                 ? "the PFX " + where +
                                       " is protected by a password; set "
                                       "AZURE_CLIENT_CERTIFICATE_PASSWORD to it"
                                 : "AZURE_CLIENT_CERTIFICATE_PASSWORD does not open the PFX " +
                                       where + "; set it to the password it was exported with");
  }
  PkeyPtr key{raw_key};
  std::vector<X509Ptr> certificates;
  if (raw_certificate != nullptr) {
    certificates.emplace_back(raw_certificate);
  }
  while (raw_chain != nullptr && sk_X509_num(raw_chain) > 0) {
    certificates.emplace_back(sk_X509_shift(raw_chain));
  }
  sk_X509_free(raw_chain);
  if (!key) {
    throw core::InvalidInput("the PFX " + where +
                             " holds no private key; export it again with its private key");
  }
  if (certificates.empty()) {
    throw core::InvalidInput("the PFX " + where + " holds no certificate; export it again");
  }
  return {std::move(key), std::move(certificates)};
}

struct ClientCertificateCredential::Key {
  std::string path;
  PkeyPtr key;
  std::string x5t;        ///< base64url SHA-1 of the DER certificate
  std::string x5t_s256;   ///< base64url SHA-256 of the DER certificate
  std::string thumbprint; ///< SHA-1, upper-case hex
  /// Standard base64 of each DER certificate, the one matching the key first: the x5c header.
  std::vector<std::string> chain;

  static std::shared_ptr<Key const> load(std::string const& path, std::string const& password);
  static std::shared_ptr<Key const> from_parts(std::string const& path,
                                               std::string const& where,
                                               PkeyPtr key,
                                               std::vector<X509Ptr> certificates);
};

std::shared_ptr<ClientCertificateCredential::Key const>
ClientCertificateCredential::Key::load(std::string const& path, std::string const& password) {
  auto const content = read_file(path);
  auto const where = path + " (AZURE_CLIENT_CERTIFICATE_PATH)";
  auto const blocks = pem_blocks(content);
  if (blocks.empty()) {
    auto [key, certificates] = read_pkcs12(content, password, where);
    return from_parts(path, where, std::move(key), std::move(certificates));
  }

  std::vector<X509Ptr> certificates;
  std::vector<PemBlock const*> keys;
  for (auto const& block : blocks) {
    if (block.label == "CERTIFICATE") {
      auto bio = memory_bio(block.text);
      X509Ptr certificate{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
      if (!certificate) {
        throw core::InvalidInput("a certificate in " + where + " cannot be read (" +
                                 openssl_reason() + "); export the certificate again as PEM");
      }
      certificates.push_back(std::move(certificate));
    } else if (block.label.ends_with("PRIVATE KEY")) {
      keys.push_back(&block);
    }
  }
  if (keys.empty()) {
    throw core::InvalidInput("the client certificate " + where +
                             " holds no private key (-----BEGIN PRIVATE KEY-----); put the "
                             "certificate and its private key in one PEM file");
  }
  if (keys.size() > 1) {
    throw core::InvalidInput("the client certificate " + where +
                             " holds more than one private key; keep only the key of the "
                             "certificate registered on the application");
  }
  if (certificates.empty()) {
    throw core::InvalidInput("the client certificate " + where +
                             " holds no certificate (-----BEGIN CERTIFICATE-----); put the "
                             "certificate and its private key in one PEM file");
  }

  auto const& key_block = *keys.front();
  bool const encrypted = key_block.label == "ENCRYPTED PRIVATE KEY" ||
                         key_block.text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
  PasswordRequest request{&password};
  auto bio = memory_bio(key_block.text);
  PkeyPtr key{PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, &request)};
  if (!key) {
    auto const reason = openssl_reason();
    if (encrypted && password.empty()) {
      throw core::InvalidInput("the private key in " + where +
                               " is encrypted; set AZURE_CLIENT_CERTIFICATE_PASSWORD to its "
                               "password");
    }
    if (encrypted || request.asked) {
      throw core::InvalidInput("AZURE_CLIENT_CERTIFICATE_PASSWORD does not decrypt the private "
                               "key in " +
                               where + "; set it to the password the key was exported with");
    }
    throw core::InvalidInput("the private key in " + where + " cannot be read (" + reason +
                             "); export it again as PEM");
  }
  return from_parts(path, where, std::move(key), std::move(certificates));
}

std::shared_ptr<ClientCertificateCredential::Key const>
ClientCertificateCredential::Key::from_parts(std::string const& path,
                                             std::string const& where,
                                             PkeyPtr key,
                                             std::vector<X509Ptr> certificates) {
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    throw core::InvalidInput("the private key in " + where +
                             " is not an RSA key; Microsoft Entra client assertions are signed "
                             "RS256, so use a certificate with an RSA key");
  }

  X509 const* matching = nullptr;
  for (auto const& certificate : certificates) {
    if (X509_check_private_key(certificate.get(), key.get()) == 1) {
      matching = certificate.get();
      break;
    }
  }
  ERR_clear_error(); // mismatches leave errors behind
  if (matching == nullptr) {
    throw core::InvalidInput("no certificate in " + where +
                             " matches its private key; put the certificate and the key it was "
                             "issued for in one PEM file");
  }

  auto loaded = std::make_shared<Key>();
  loaded->path = path;
  auto const sha1 = digest(matching, EVP_sha1());
  loaded->x5t = http::base64url_encode(sha1);
  loaded->x5t_s256 = http::base64url_encode(digest(matching, EVP_sha256()));
  loaded->thumbprint = upper_hex(sha1);
  loaded->chain.push_back(der_base64(matching));
  for (auto const& certificate : certificates) {
    if (certificate.get() != matching) {
      loaded->chain.push_back(der_base64(certificate.get()));
    }
  }
  loaded->key = std::move(key);
  return loaded;
}

ClientCertificateCredential::ClientCertificateCredential(std::string authority_host,
                                                         std::string tenant_id,
                                                         std::string client_id,
                                                         std::string const& certificate_path,
                                                         std::string const& password,
                                                         std::shared_ptr<http::Transport> transport,
                                                         std::shared_ptr<core::Clock> clock,
                                                         http::RetryOptions retry,
                                                         bool send_chain)
    : m_key(Key::load(certificate_path, password)) {
  auto audience = detail::token_url(authority_host, tenant_id);
  auto assertion = [key = m_key, client_id, audience = std::move(audience), clock, send_chain] {
    auto const now =
        std::chrono::duration_cast<std::chrono::seconds>(clock->wall_now().time_since_epoch())
            .count();
    nlohmann::json header{
        {"alg", "RS256"}, {"typ", "JWT"}, {"x5t", key->x5t}, {"x5t#S256", key->x5t_s256}};
    if (send_chain) {
      // Subject name and issuer authentication: Entra checks the chain, not a thumbprint.
      header["x5c"] = key->chain;
    }
    nlohmann::json const claims{
        {"aud", audience},
        {"iss", client_id},
        {"sub", client_id},
        {"jti", http::random_guid()},
        {"nbf", now},
        {"iat", now},
        {"exp", now + std::chrono::seconds{k_assertion_lifetime}.count()},
    };
    return detail::sign_rs256(header, claims, key->key.get());
  };

  ClientAssertionOptions options;
  options.description = "client certificate (AZURE_CLIENT_ID=" + client_id +
                        ", AZURE_CLIENT_CERTIFICATE_PATH=" + certificate_path + ")";
  options.hint = [key = m_key, client_id](std::int64_t code) -> std::string {
    switch (code) {
    case 700027:
      return "the certificate " + key->path + " (thumbprint " + key->thumbprint +
             ") is not registered on the application " + client_id +
             ", or has expired: upload it under Certificates & secrets of the app registration";
    case 700024:
      return "the client assertion was refused as expired or not yet valid: check this "
             "machine's clock";
    default:
      return {};
    }
  };
  options.fallback_hint =
      "check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_CERTIFICATE_PATH";
  options.retry = std::move(retry);
  m_inner = std::make_shared<ClientAssertionCredential>(std::move(authority_host),
                                                        std::move(tenant_id),
                                                        std::move(client_id),
                                                        std::move(assertion),
                                                        std::move(transport),
                                                        std::move(clock),
                                                        std::move(options));
}

http::AccessToken ClientCertificateCredential::get_token(std::string const& scope) const {
  return m_inner->get_token(scope);
}

std::string ClientCertificateCredential::describe() const {
  return m_inner->describe();
}

std::string const& ClientCertificateCredential::thumbprint() const {
  return m_key->thumbprint;
}

} // namespace wisetup::identity
