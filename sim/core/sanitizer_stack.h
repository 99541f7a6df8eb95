// AddressSanitizer and SystemC's coroutines. SystemC (Debian's 2.3.4, QuickThreads) runs every SC_THREAD
// on a stack of its own and switches stacks without telling ASan. Once a simulation has run, ASan no
// longer knows the main thread's stack bounds, so an exception thrown on the main stack afterwards (the
// watchdog's SimulationError, any error after sc_start) skips the unpoisoning of the frames it unwinds
// ("ASan is ignoring requested __asan_handle_no_return ... False positive error reports may follow",
// google/sanitizers#189), and the next frames to reuse that stack report a stack-buffer-overflow that is
// not there. Telling ASan, after sc_start returns, which stack the main thread is on removes the false
// report without hiding real ones. A no-op in builds without ASan.
#pragma once

namespace cyclops {

// Call on the main thread after sc_start() returns.
void RestoreMainStackForSanitizer();

}  // namespace cyclops
