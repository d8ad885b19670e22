#pragma once
// "did you mean …?" for misspelled names: presets, lessons, init schemes, activations. One
// function for all of them, so the CLI options, config files and the window's column specs
// suggest the same way.
#include <string>
#include <vector>

namespace initscope {

// Edit distance: insertions, deletions, substitutions and swaps of two neighbouring characters
// (optimal string alignment), each one edit; case-insensitive.
int edit_distance(const std::string& a, const std::string& b);

// The candidates closest to `word` (at most `max_names`, best first, ties in candidate order),
// among those close enough to be a misspelling: distance ≤ max(1, length / 3), or `word` being
// a prefix of the candidate. Empty when nothing is close.
std::vector<std::string> closest_names(const std::string& word,
                                       const std::vector<std::string>& candidates,
                                       int max_names = 3);

// "did you mean 'a'? " / "did you mean 'a' or 'b'? " — or "" when nothing is close.
// Meant to be put before "allowed: …" in a UsageError.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace initscope
