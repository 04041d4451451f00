// SPDX-License-Identifier: MIT
#include "core/cli/resolver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <vector>

namespace bouncedx::cli {

bool ParseServer(const std::string& text, ResolverConfig* config, std::string* error) {
  std::string host = text;
  int port = 53;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    host = text.substr(0, colon);
    std::string digits = text.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      *error = "bad port in " + text;
      return false;
    }
    port = std::stoi(digits);
    if (port < 1 || port > 65535) {
      *error = "bad port in " + text;
      return false;
    }
  }
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) {
    *error = "not an IPv4 address: " + host;
    return false;
  }
  config->server = host;
  config->port = port;
  return true;
}

namespace {

using Clock = std::chrono::steady_clock;

// The servers to ask: the given one, else the IPv4 servers of resolv.conf.
std::vector<sockaddr_in> Servers(const ResolverConfig& config) {
  std::vector<sockaddr_in> servers;
  if (!config.server.empty()) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(config.port));
    inet_pton(AF_INET, config.server.c_str(), &address.sin_addr);
    servers.push_back(address);
    return servers;
  }
  struct __res_state state;
  std::memset(&state, 0, sizeof state);
  if (res_ninit(&state) == 0) {
    for (int i = 0; i < state.nscount && i < MAXNS; ++i) {
      if (state.nsaddr_list[i].sin_family == AF_INET) servers.push_back(state.nsaddr_list[i]);
    }
    res_nclose(&state);
  }
  if (servers.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(53);
    inet_pton(AF_INET, "127.0.0.1", &local.sin_addr);
    servers.push_back(local);
  }
  return servers;
}

// Sends `query` over TCP (RFC 7766) and reads one length-prefixed answer,
// within `timeout_ms`. Empty on any failure.
std::string AskTcp(const sockaddr_in& server, const std::string& query, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string answer;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0) {
    std::string framed;
    framed.push_back(static_cast<char>(query.size() >> 8));
    framed.push_back(static_cast<char>(query.size() & 0xFF));
    framed += query;
    if (send(fd, framed.data(), framed.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(framed.size())) {
      unsigned char length[2];
      if (recv(fd, length, 2, MSG_WAITALL) == 2) {
        size_t size = (static_cast<size_t>(length[0]) << 8) | length[1];
        answer.resize(size);
        if (size == 0 || recv(fd, answer.data(), size, MSG_WAITALL) != static_cast<ssize_t>(size)) {
          answer.clear();
        }
      }
    }
  }
  close(fd);
  return answer;
}

struct InFlight {
  Question question;
  int fd = -1;
  size_t server = 0;
  int tries = 0;
  Clock::time_point deadline;
};

bool SendUdp(InFlight& flight, const std::vector<sockaddr_in>& servers, int timeout_ms) {
  if (flight.fd >= 0) close(flight.fd);
  flight.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (flight.fd < 0) return false;
  const sockaddr_in& server = servers[flight.server % servers.size()];
  // Connected, so that an ICMP "port unreachable" comes back as an error.
  if (connect(flight.fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) return false;
  if (send(flight.fd, flight.question.wire.data(), flight.question.wire.size(), 0) < 0) return false;
  ++flight.tries;
  flight.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  return true;
}

}  // namespace

int ResolveAll(Diagnosis& diagnosis, const ResolverConfig& config) {
  const std::vector<sockaddr_in> servers = Servers(config);
  const int timeout_ms = config.timeout_seconds * 1000;
  const int max_tries = config.attempts < 1 ? 1 : config.attempts;
  std::vector<Question> waiting;
  std::vector<InFlight> flights;
  int handled = 0;
  int rounds = 0;

  auto finish = [&](size_t index) {
    if (flights[index].fd >= 0) close(flights[index].fd);
    flights.erase(flights.begin() + static_cast<std::ptrdiff_t>(index));
    ++handled;
  };

  while (true) {
    // New questions, as soon as the engine has them.
    std::vector<Question> fresh = diagnosis.TakeQuestions();
    if (!fresh.empty()) ++rounds;
    for (Question& question : fresh) waiting.push_back(std::move(question));
    while (!waiting.empty() && flights.size() < static_cast<size_t>(config.parallel)) {
      InFlight flight;
      flight.question = std::move(waiting.front());
      waiting.erase(waiting.begin());
      if (!SendUdp(flight, servers, timeout_ms)) {
        if (flight.fd >= 0) close(flight.fd);
        diagnosis.OnFailure(flight.question.id, FailureKind::kNetwork,
                            std::string("cannot send: ") + std::strerror(errno));
        ++handled;
        continue;
      }
      flights.push_back(std::move(flight));
    }
    if (flights.empty()) {
      if (waiting.empty() && (diagnosis.finished() || diagnosis.TakeQuestions().empty())) break;
      continue;
    }
    if (rounds > config.max_rounds) {
      for (size_t i = flights.size(); i-- > 0;) {
        diagnosis.OnFailure(flights[i].question.id, FailureKind::kCancelled, "too many rounds");
        finish(i);
      }
      for (const Question& question : waiting) {
        diagnosis.OnFailure(question.id, FailureKind::kCancelled, "too many rounds");
      }
      waiting.clear();
      break;
    }

    // Wait for the first answer or the nearest deadline.
    std::vector<pollfd> fds;
    Clock::time_point nearest = flights.front().deadline;
    for (const InFlight& flight : flights) {
      fds.push_back(pollfd{flight.fd, POLLIN, 0});
      if (flight.deadline < nearest) nearest = flight.deadline;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nearest - Clock::now()).count();
    poll(fds.data(), fds.size(), wait < 0 ? 0 : static_cast<int>(wait) + 1);

    Clock::time_point now = Clock::now();
    for (size_t i = flights.size(); i-- > 0;) {
      InFlight& flight = flights[i];
      if (fds[i].revents != 0) {
        char buffer[65536];
        ssize_t length = recv(flight.fd, buffer, sizeof buffer, 0);
        if (length < 0) {
          if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
          std::string why = errno == ECONNREFUSED ? "connection refused" : std::strerror(errno);
          if (flight.tries < max_tries) {
            ++flight.server;
            if (SendUdp(flight, servers, timeout_ms)) continue;
          }
          diagnosis.OnFailure(flight.question.id, FailureKind::kNetwork, "resolver unreachable: " + why);
          finish(i);
          continue;
        }
        std::string answer(buffer, static_cast<size_t>(length));
        // Not ours (another ID or not a response): keep waiting.
        if (answer.size() < 12 || answer[0] != flight.question.wire[0] ||
            answer[1] != flight.question.wire[1] || (answer[2] & 0x80) == 0) {
          continue;
        }
        if ((answer[2] & 0x02) != 0) {  // TC: ask again over TCP
          std::string whole = AskTcp(servers[flight.server % servers.size()], flight.question.wire,
                                     timeout_ms);
          if (!whole.empty()) answer = whole;
        }
        diagnosis.OnAnswer(flight.question.id, answer);
        finish(i);
      } else if (now >= flight.deadline) {
        if (flight.tries < max_tries) {
          ++flight.server;
          if (SendUdp(flight, servers, timeout_ms)) continue;
        }
        diagnosis.OnFailure(flight.question.id, FailureKind::kTimeout, "");
        finish(i);
      }
    }
  }
  return handled;
}

}  // namespace bouncedx::cli
