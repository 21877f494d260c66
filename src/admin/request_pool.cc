#include "admin/request_pool.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdint>
#include <utility>

namespace iiot {

RequestPool::RequestPool(size_t threads, std::function<Answer(const Job&)> serve, int wake_fd)
    : serve_(std::move(serve)), wake_fd_(wake_fd) {
  try {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  } catch (...) {
    {
      MutexLock lock(&mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    throw;
  }
}

RequestPool::~RequestPool() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    cancelled_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void RequestPool::Submit(Job job) {
  {
    MutexLock lock(&mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

std::vector<RequestPool::Answer> RequestPool::TakeFinished() {
  MutexLock lock(&mu_);
  return std::exchange(finished_, {});
}

void RequestPool::Cancel() {
  MutexLock lock(&mu_);
  cancelled_ = true;
}

void RequestPool::Work() {
  pthread_setname_np(pthread_self(), "iiot-admin-http");
  for (;;) {
    Job job;
    bool cancelled;
    {
      MutexLock lock(&mu_);
      while (!stopping_ && jobs_.empty()) cv_.wait(mu_);
      if (jobs_.empty()) return;  // stopping, nothing queued
      job = std::move(jobs_.front());
      jobs_.pop_front();
      cancelled = cancelled_;
    }
    Finish(cancelled ? Answer{job.fd, {}, true} : serve_(job));
  }
}

void RequestPool::Finish(Answer answer) {
  {
    MutexLock lock(&mu_);
    finished_.push_back(std::move(answer));
  }
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof(one));
}

}  // namespace iiot
