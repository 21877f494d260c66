// The switch model: a sticky two-state Markov chain (on/off). Given the stationary
// probability of "on" (p) and the probability that the state is kept from one sample to
// the next (stickiness, averaged over the stationary distribution), the two transition
// probabilities follow:
//   p × P(on→off) = (1 − p) × P(off→on)        (balance: p is stationary)
//   1 − 2 p P(on→off) = stickiness              (the mean keep probability)
// so P(on→off) = (1 − stickiness) / 2p and P(off→on) = (1 − stickiness) / 2(1 − p).
// When stickiness is too low for p (a transition probability above 1), the flow
// (1 − stickiness) / 2 is capped at min(p, 1 − p): p still holds, the chain is as
// unsticky as it can be.
//
// Both numbers are taken per kSwitchReferenceSeconds (5 s, the default interval); over any
// other elapsed time the chain is the continuous-time one that matches them there
// (SwitchTransitionsOver), so a device sampled every second or every hour switches as
// often per hour. Pure functions; thread-safe.
#pragma once

namespace iiot {

struct SwitchTransitions {
  double on_to_off = 0;  // P(off at the next sample | on now)
  double off_to_on = 0;  // P(on at the next sample | off now)
};

inline constexpr double kSwitchReferenceSeconds = 5;

// Per kSwitchReferenceSeconds.
SwitchTransitions SwitchTransitionsFor(double p_on, double stickiness);

// ln of the chain's memory ρ = 1 − P(on→off) − P(off→on) over the reference interval, at
// least ρ = 0 (a continuous-time chain cannot alternate; -inf then: it forgets at once).
double SwitchLogMemory(double p_on, double stickiness);

// Over elapsed_s seconds (≥ 0): the same stationary p_on, and the memory raised to
// elapsed_s / kSwitchReferenceSeconds.
SwitchTransitions SwitchTransitionsOver(double p_on, double log_memory, double elapsed_s);

// The usage pattern: p_on moved by amplitude × shape (shape in [-1, 1], a day cycle),
// clamped to [0, 1]. Its mean over a day is p_on when nothing is clamped.
double UsageProbability(double p_on, double amplitude, double shape);

}  // namespace iiot
