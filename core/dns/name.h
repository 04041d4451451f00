// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_DNS_NAME_H_
#define BOUNCEDX_CORE_DNS_NAME_H_

// Domain names in their two forms: presentation ("mail.example.com", what
// people and the engine write) and wire (length-prefixed labels, what a DNS
// message carries, possibly compressed with pointers, RFC 1035 §4.1.4).
//
// Presentation names here follow the master-file conventions of RFC 1035
// §5.1: a trailing dot is optional, "." alone is the root, "\." is a dot
// inside a label and "\DDD" is any byte by its decimal value. Names this file
// produces have no trailing dot (except the root, ".") and escape '.', '\'
// and every byte outside printable ASCII as "\DDD", so a hostile label can
// never smuggle a control character or a fake label boundary into a report.
//
//   Result<std::string> wire = EncodeName("_dmarc.example.com");
//   ByteReader reader(message); reader.Seek(offset);
//   Result<std::string> owner = ReadName(&reader);   // follows pointers

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/status.h"

namespace bouncedx::dns {

// Compression pointers followed while reading one name. Pointers must also go
// strictly backwards, which alone ends every loop; this cap bounds the work a
// chain of pointer-to-pointer hops can cause (a 255-octet name has at most
// 127 labels, so no honest name needs more hops than that).
constexpr size_t kMaxPointerJumps = 127;

// Splits a presentation name into its raw labels (escapes resolved). The
// root ("." ) gives an empty list. Fails with kMalformed on an empty name, an
// empty label ("a..b", ".a"), a bad escape ("\256", "\2", a lone trailing
// '\'), a label over 63 octets or a name over 255 octets in wire form.
Result<std::vector<std::string>> SplitName(std::string_view name);

// The wire form of a presentation name, ending with the root label, never
// compressed. Same failures as SplitName().
Result<std::string> EncodeName(std::string_view name);

// The canonical presentation form: ASCII letters lower-cased, no trailing
// dot, escapes rewritten the way this file writes them ("." for the root).
// Same failures as SplitName(). Use it for keys that compare names.
Result<std::string> NormalizeName(std::string_view name);

// True when SplitName() would accept `name`.
bool IsValidName(std::string_view name);

// True when both names are valid and equal label by label, ignoring ASCII
// case (RFC 4343); a trailing dot makes no difference. False if either is
// invalid.
bool NamesEqual(std::string_view a, std::string_view b);

// True when `name` equals `ancestor` or lies below it ("a.b.example.com" is
// at or below "example.com"; every name is at or below "."). False when
// either is invalid.
bool IsAtOrBelow(std::string_view name, std::string_view ancestor);

// True when `name` is a host name by the letter-digit-hyphen rule of
// RFC 952/1123: labels of letters, digits and inner hyphens, 1..63 octets,
// at most 253 characters without the optional trailing dot. Underscores,
// escapes and the root are not host names.
bool IsHostname(std::string_view name);

// Appends one raw label to `out` in presentation form, escaping as described
// at the top of this file.
void AppendLabelText(std::string_view label, std::string* out);

// Appends `bytes` in RFC 1035 zone-file style: a byte from `specials` gets a
// backslash, a byte below `lowest_plain` or above '~' becomes \DDD, every
// other byte stands for itself.
void AppendEscapedBytes(std::string_view bytes, std::string_view specials,
                        unsigned char lowest_plain, std::string* out);

// Reads a name from a DNS message. `reader` must be a cursor over the message
// from its first byte (pointers are offsets from there), positioned at the
// name. On success returns the presentation form and moves `reader` past the
// name as it sits in place (past the first pointer, if any). Fails, leaving
// `reader` where it was, with kTruncated when the bytes end inside the name,
// and with kMalformed for a pointer that does not go strictly backwards (past
// the start of the label run it interrupts) or points into the header, more
// than kMaxPointerJumps pointers, the reserved label types 0x40/0x80, or a
// name over 255 octets. Messages start with "name: ".
Result<std::string> ReadName(ByteReader* reader);

}  // namespace bouncedx::dns

#endif  // BOUNCEDX_CORE_DNS_NAME_H_
