#pragma once
// How a use case answers: a value, or the error it threw. Writes answer after the commit.
#include <exception>
#include <functional>
#include <memory>
#include <optional>

#include "store/store.hpp"

namespace cc::service {

template <class T>
struct Outcome {
  std::exception_ptr error;
  std::optional<T> value;
};

template <class T>
using Then = std::function<void(Outcome<T>)>;

// Runs `work` on the writer inside the group transaction; `then` gets its result once
// the transaction has committed (or the error, if it threw or the commit failed).
template <class T, class Work>
void write(store::Store& store, Work&& work, Then<T> then) {
  auto result = std::make_shared<std::optional<T>>();
  store.write([work = std::forward<Work>(work), result](store::WriteTx& tx) mutable { result->emplace(work(tx)); },
              [result, then = std::move(then)](std::exception_ptr e) {
                Outcome<T> o;
                o.error = e;
                if (!e) o.value = std::move(*result);
                then(std::move(o));
              });
}

}  // namespace cc::service
