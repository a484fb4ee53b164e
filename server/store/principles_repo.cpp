#include "store/principles_repo.hpp"

#include "domain/error.hpp"

namespace cc::store {

std::vector<domain::Principle> list_principles(Connection& c) {
  auto st = c.prepare("SELECT id, code, title, summary FROM principles ORDER BY id");
  std::vector<domain::Principle> out;
  while (st->executeStep())
    out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getString(), st->getColumn(2).getString(),
                   st->getColumn(3).getString()});
  return out;
}

void update_principle(Connection& c, const domain::Principle& p) {
  auto st = c.prepare("UPDATE principles SET title = ?, summary = ? WHERE id = ?");
  st->bind(1, p.title);
  st->bind(2, p.summary);
  st->bind(3, p.id);
  if (st->exec() == 0) throw domain::not_found("principle");
}

}  // namespace cc::store
