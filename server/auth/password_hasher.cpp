#include "auth/password_hasher.hpp"

#include <argon2.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "auth/crypto.hpp"

namespace cc::auth {

std::string PasswordHasher::hash(std::string_view password) const {
  auto prehash = hmac_sha256(pepper_, password);
  std::string salt_text = random_token(16);
  auto salt = sha256(salt_text).substr(0, 16);
  std::size_t len = argon2_encodedlen(cost_.time, cost_.memory_kib, cost_.parallelism,
                                      static_cast<uint32_t>(salt.size()), 32, Argon2_id);
  std::vector<char> encoded(len);
  int rc = argon2id_hash_encoded(cost_.time, cost_.memory_kib, cost_.parallelism, prehash.data(), prehash.size(),
                                 salt.data(), salt.size(), 32, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("password hashing failed: ") + argon2_error_message(rc));
  return std::string(encoded.data());
}

bool PasswordHasher::verify(std::string_view password, std::string_view encoded) const {
  auto prehash = hmac_sha256(pepper_, password);
  std::string enc(encoded);
  return argon2id_verify(enc.c_str(), prehash.data(), prehash.size()) == ARGON2_OK;
}

const std::string& PasswordHasher::dummy_hash() const {
  static std::mutex m;
  std::lock_guard lock(m);
  if (dummy_.empty()) dummy_ = hash(random_token(24));
  return dummy_;
}

std::string default_pepper_path(const std::string& db_path) { return db_path + ".pepper"; }

std::string load_or_create_pepper(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string pepper((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (pepper.size() < 32) throw std::runtime_error("the pepper file " + path + " is too short");
    return pepper;
  }
  std::string pepper = random_token(32);
  // O_EXCL: if two processes race to create it, one wins and the other reads its file.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::ifstream again(path, std::ios::binary);
    if (again) return std::string((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
    throw std::runtime_error("cannot create the pepper file " + path);
  }
  bool ok = ::write(fd, pepper.data(), pepper.size()) == static_cast<ssize_t>(pepper.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write the pepper file " + path);
  return pepper;
}

}  // namespace cc::auth
