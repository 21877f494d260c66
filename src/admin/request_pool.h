// RequestPool: the named threads ("iiot-admin-http") that serve the admin port's requests.
// The listener's event loop hands over only complete requests (Submit), so a thread is
// never held by a client that is slow to send; each answer is queued for the loop
// (TakeFinished), which is woken through `wake_fd` (an eventfd) when one is ready.
//
// Thread-safety: Submit, TakeFinished and Cancel may be called from any thread (the loop
// calls them); `serve` runs on the pool's threads, several at once. The destructor joins
// the threads after the jobs already started.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "base/mutex.h"

namespace iiot {

class RequestPool {
 public:
  struct Job {
    int fd = -1;          // the connection, kept open until its answer is taken
    std::string request;  // one complete request
    bool last = false;    // the connection closes after this one
  };
  struct Answer {
    int fd = -1;
    std::string response;  // empty: not served (cancelled); close the connection
    bool close = false;    // close the connection once the response is written
  };

  // Starts `threads` threads. Throws std::system_error when one cannot be started.
  RequestPool(size_t threads, std::function<Answer(const Job&)> serve, int wake_fd);
  ~RequestPool();

  RequestPool(const RequestPool&) = delete;
  RequestPool& operator=(const RequestPool&) = delete;

  void Submit(Job job);
  std::vector<Answer> TakeFinished();
  // Jobs not yet started are answered empty from now on; those under way finish.
  void Cancel();

 private:
  void Work();
  void Finish(Answer answer);

  const std::function<Answer(const Job&)> serve_;
  const int wake_fd_;

  Mutex mu_;
  std::condition_variable_any cv_;
  std::deque<Job> jobs_ GUARDED_BY(mu_);
  std::vector<Answer> finished_ GUARDED_BY(mu_);
  bool cancelled_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;

  std::vector<std::thread> threads_;
};

}  // namespace iiot
