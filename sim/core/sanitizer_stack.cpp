#include "sim/core/sanitizer_stack.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CYCLOPS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CYCLOPS_ASAN 1
#endif

#ifdef CYCLOPS_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace cyclops {

void RestoreMainStackForSanitizer() {
#ifdef CYCLOPS_ASAN
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) return;
  void* bottom = nullptr;
  size_t size = 0;
  const bool known = pthread_attr_getstack(&attributes, &bottom, &size) == 0;
  pthread_attr_destroy(&attributes);
  if (!known) return;
  // A "switch" from this stack to itself: ASan records [bottom, bottom + size) as the current stack.
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

}  // namespace cyclops
