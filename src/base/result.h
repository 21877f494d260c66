// Result<T>: the value of a start-up step that can fail, or why it failed. Shaped like
// C++23's std::expected<T, Failure> (has_value, value, operator*, operator->, error), so
// that moving to std::expected later is a rename. Every start-up call that can fail
// returns one: opening a sink, starting the embedded cluster or the admin server, the
// config watcher, waiting for a broker, checking the topic, reading a topic.
// ConfigError stays the one exception (thrown while loading config, caught at the CLI).
//
// Example:
//   Result<std::unique_ptr<StreamSink>> out = StreamSink::OpenFile(path, Format::kJson);
//   if (!out) return ExitFor(out.error());  // "output.file /x/y: No such file or directory"
//   Sink& sink = **out;
//
// A value type: as thread-safe as T.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace iiot {

// Why a step failed: one line naming the cause (a config key path, a file, a broker
// address), whether the configuration is at fault (exit 2) or the environment (exit 1),
// and whether nothing answered yet, so that trying again later may succeed.
struct Failure {
  std::string message;
  bool config_error = false;
  bool retryable = false;  // e.g. no broker reachable yet, as opposed to a broker's answer
};

// Like std::unexpected: `return Fail("admin.addr x: is not host:port");`.
inline Failure Fail(std::string message) { return Failure{std::move(message)}; }
// A failure that the configuration causes: the CLI exits 2 for it.
inline Failure ConfigFail(std::string message) {
  return Failure{std::move(message), /*config_error=*/true};
}
// Nothing answered (yet): worth trying again.
inline Failure RetryableFail(std::string message) {
  return Failure{std::move(message), /*config_error=*/false, /*retryable=*/true};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  static_assert(!std::is_same_v<T, Failure>, "Result<Failure> is ambiguous");

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // Only when has_value().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Only when !has_value().
  const Failure& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Failure> state_;
};

// A step with no value: success, or a Failure.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : failure_(std::move(failure)), ok_(false) {}  // NOLINT: implicit

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // Only when !has_value().
  const Failure& error() const { return failure_; }

 private:
  Failure failure_;
  bool ok_ = true;
};

}  // namespace iiot
