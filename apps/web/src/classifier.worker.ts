/** The app's inference worker: @onebit/runtime's worker module answers the page's requests. */
import '@onebit/runtime/worker';
