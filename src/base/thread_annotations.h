// Clang's thread-safety attributes as macros, so that "guarded by mu_" is checked by the
// compiler (-Wthread-safety, the `tsa` preset) rather than only written in a comment.
// Other compilers see nothing. See https://clang.llvm.org/docs/ThreadSafetyAnalysis.html.
//
// Example:
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_) = 0;
//   void Add() EXCLUDES(mu_) { MutexLock lock(&mu_); ++count_; }
#pragma once

#if defined(__clang__)
#define IIOT_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define IIOT_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) IIOT_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY IIOT_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) IIOT_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) IIOT_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) IIOT_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) IIOT_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define ACQUIRE(...) IIOT_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) IIOT_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) IIOT_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) IIOT_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) IIOT_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) IIOT_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
#define EXCLUDES(...) IIOT_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define RETURN_CAPABILITY(x) IIOT_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS IIOT_THREAD_ANNOTATION(no_thread_safety_analysis)
