// FrameRequest: one request framed, or one clear refusal, for every way a request can be
// malformed; nothing a request carries can be read as a request of its own.
#include "admin/request_framer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "../../fuzz/request_framing_check.h"

namespace iiot {
namespace {

using Verdict = Frame::Verdict;

Frame Framed(const std::string& bytes) { return FrameRequest(bytes, FrameLimits{}); }

// The status of a refused request, 0 when it was not refused.
int Refused(const std::string& bytes) {
  const Frame f = Framed(bytes);
  return f.verdict == Verdict::kBad ? f.status : 0;
}

TEST(RequestFramer, FramesOneRequestAndLeavesWhatFollows) {
  const std::string first = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const Frame f = Framed(first + "GET /metrics HTTP/1.1\r\n\r\n");
  ASSERT_EQ(f.verdict, Verdict::kComplete) << f.message;
  EXPECT_EQ(f.length, first.size());
  EXPECT_EQ(f.normalized, first);
}

TEST(RequestFramer, ABodyBelongsToItsRequestWhateverTheMethod) {
  // A GET with a body: the body, however it looks, is part of the GET.
  const std::string body = "GET /api/v1/stats HTTP/1.1\r\n\r\n";
  const std::string request =
      "GET /healthz HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  const Frame f = Framed(request + "tail");
  ASSERT_EQ(f.verdict, Verdict::kComplete) << f.message;
  EXPECT_EQ(f.length, request.size());
  EXPECT_TRUE(f.normalized.ends_with("\r\n\r\n" + body));
}

TEST(RequestFramer, NormalizesLineEndsAndSpacesAroundValues) {
  const Frame f = Framed("POST /x HTTP/1.0\nHost:   x \t\nContent-Length: 2\n\nab");
  ASSERT_EQ(f.verdict, Verdict::kComplete) << f.message;
  EXPECT_EQ(f.normalized, "POST /x HTTP/1.0\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
}

TEST(RequestFramer, WaitsForTheRestOfTheHeadAndTheBody) {
  EXPECT_EQ(Framed("GET /healthz HTTP/1.1\r\nHo").verdict, Verdict::kIncomplete);
  EXPECT_FALSE(Framed("GET /healthz HTTP/1.1\r\n").head_complete);
  const Frame body = Framed("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_EQ(body.verdict, Verdict::kIncomplete);
  EXPECT_TRUE(body.head_complete);
  EXPECT_FALSE(body.expects_continue);
  EXPECT_EQ(Framed("").verdict, Verdict::kIncomplete);
  EXPECT_EQ(Framed("\r\n\r\n").verdict, Verdict::kIncomplete);
}

TEST(RequestFramer, ExpectContinueIsReportedAndNotPassedOn) {
  const std::string head = "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  const Frame waiting = Framed(head);
  EXPECT_EQ(waiting.verdict, Verdict::kIncomplete);
  EXPECT_TRUE(waiting.expects_continue);
  const Frame done = Framed(head + "abc");
  ASSERT_EQ(done.verdict, Verdict::kComplete);
  EXPECT_EQ(done.normalized.find("Expect"), std::string::npos);
}

TEST(RequestFramer, AnHttp10ClientIsNeverSentContinue) {
  const Frame f = Framed("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(f.verdict, Verdict::kIncomplete);
  EXPECT_TRUE(f.head_complete);
  EXPECT_FALSE(f.expects_continue);
}

TEST(RequestFramer, TheConnectionHeaderIsPassedOnInTheCaseHttplibMatches) {
  EXPECT_NE(Framed("GET / HTTP/1.1\r\nConnection: CLOSE\r\n\r\n")
                .normalized.find("Connection: close\r\n"),
            std::string::npos);
  EXPECT_NE(Framed("GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n")
                .normalized.find("connection: Keep-Alive\r\n"),
            std::string::npos);
}

TEST(RequestFramer, SkipsAFewEmptyLinesBeforeTheRequestLine) {
  const Frame f = Framed("\r\n\nGET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(f.verdict, Verdict::kComplete);
  EXPECT_EQ(f.length, 3 + std::string("GET / HTTP/1.1\r\n\r\n").size());
  std::string many;
  for (int i = 0; i < 9; ++i) many += "\r\n";
  EXPECT_EQ(Refused(many + "GET / HTTP/1.1\r\n\r\n"), 400);
}

TEST(RequestFramer, AHeaderLineWithoutAColonIsRefused) {
  const Frame f = Framed("GET / HTTP/1.1\r\nHost x\r\n\r\n");
  ASSERT_EQ(f.verdict, Verdict::kBad);
  EXPECT_EQ(f.status, 400);
  EXPECT_NE(f.message.find("no colon"), std::string::npos) << f.message;
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\n: x\r\n\r\n"), 400);  // an empty name
}

TEST(RequestFramer, HeaderNamesMustBeTokensWithoutSpaceBeforeTheColon) {
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello"), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHo(st: x\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: x\r\n\tfolded\r\n\r\n"), 400);
}

TEST(RequestFramer, ControlBytesAndStrayCarriageReturnsAreRefused) {
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: a\x01"
                    "b\r\n\r\n"),
            400);
  EXPECT_EQ(Refused(std::string("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29)), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1\rHost: a\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nHost: a\rb"), 400);  // before the head is complete
  EXPECT_EQ(Refused("GET /a\x7f HTTP/1.1\r\n\r\n"), 400);
  // Tabs and bytes past ASCII are allowed in values.
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nX-Note: a\tb \xc3\xa9\r\n\r\n"), 0);
}

TEST(RequestFramer, OneContentLengthOfDigitsOnly) {
  for (const char* value : {"-1", "+5", "5 5", "0x10", "", "1e3", "5,5", "\xef\xbc\x95"}) {
    const std::string request =
        std::string("POST /x HTTP/1.1\r\nContent-Length: ") + value + "\r\n\r\nhello";
    EXPECT_EQ(Refused(request), 400) << value;
  }
  // Spaces around the value are not part of it.
  EXPECT_EQ(Framed("POST /x HTTP/1.1\r\nContent-Length:  5 \r\n\r\nhello").verdict,
            Verdict::kComplete);
  EXPECT_EQ(Framed("POST /x HTTP/1.1\r\nContent-Length: 005\r\n\r\nhello").verdict,
            Verdict::kComplete);
}

TEST(RequestFramer, ASecondContentLengthIsRefusedEvenWhenItAgrees) {
  EXPECT_EQ(Refused("POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello"),
            400);
  const Frame same =
      Framed("POST /x HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello");
  ASSERT_EQ(same.verdict, Verdict::kBad);
  EXPECT_NE(same.message.find("more than one Content-Length"), std::string::npos);
}

TEST(RequestFramer, TransferEncodingIsNotServed) {
  EXPECT_EQ(Refused("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 501);
  EXPECT_EQ(Refused("POST /x HTTP/1.1\r\nContent-Length: 3\r\ntransfer-encoding: identity\r\n"
                    "\r\nabc"),
            501);
}

TEST(RequestFramer, BodiesPastTheLimitAreRefusedBeforeTheyArrive) {
  EXPECT_EQ(Refused("POST /x HTTP/1.1\r\nContent-Length: 4097\r\n\r\n"), 413);
  EXPECT_EQ(Refused("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999999999\r\n\r\n"), 413);
  EXPECT_EQ(Framed("POST /x HTTP/1.1\r\nContent-Length: 4096\r\n\r\n").verdict,
            Verdict::kIncomplete);
}

TEST(RequestFramer, TheRequestLineHasThreePartsAndAKnownVersion) {
  EXPECT_EQ(Refused("GET  / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / HTTP/1.1 \r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET /\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / http/1.1\r\n\r\n"), 400);
  EXPECT_EQ(Refused("G(T / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(Refused("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(Refused("GET / HTTP/1.0\r\n\r\n"), 0);
}

TEST(RequestFramer, HeadsAreBoundedInBytesAndLines) {
  const FrameLimits limits;
  EXPECT_EQ(Refused("GET /" + std::string(limits.max_head_bytes, 'a')), 414);
  EXPECT_EQ(Refused("GET /" + std::string(limits.max_target_bytes, 'a') + " HTTP/1.1\r\n\r\n"),
            414);
  EXPECT_EQ(Refused("GET / HTTP/1.1\r\nX: " + std::string(limits.max_head_bytes, 'a')), 431);
  std::string lines = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i <= limits.max_header_lines; ++i) lines += "X: y\r\n";
  EXPECT_EQ(Refused(lines + "\r\n"), 431);
}

TEST(RequestFramer, KeepsItsPromisesForRandomInput) {
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 200);
  const std::string prefixes[] = {"", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nContent-Length: ",
                                  "POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\n"};
  int refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input = prefixes[i % 4];
    const int n = length(rng);
    for (int k = 0; k < n; ++k) input += static_cast<char>(byte(rng));
    input += "\r\n\r\n";
    ASSERT_EQ(fuzz::RequestFramingProblem(input), "") << input;
    refused += Framed(input).verdict == Verdict::kBad ? 1 : 0;
  }
  EXPECT_GT(refused, 10000);
}

// The fuzzer's corpus (tests/fuzz/corpus/request_framer/), so the ordinary unit tests hold
// what fuzzing found.
TEST(RequestFramer, KeepsItsPromisesForTheFuzzCorpus) {
  size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(IIOT_SOURCE_DIR "/tests/fuzz/corpus/request_framer")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(fuzz::RequestFramingProblem(text.str()), "") << entry.path();
    ++files;
  }
  EXPECT_GE(files, 8u);
}

}  // namespace
}  // namespace iiot
