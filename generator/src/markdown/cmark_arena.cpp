#include "markdown/cmark_arena.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cypp::markdown {

namespace {

// Each allocation is preceded by a header: its size (realloc must know how much to copy)
// and whether it has a block of its own, in as many bytes as keep what follows aligned
// for any type.
struct Header {
    std::size_t size;
    std::size_t own;  // 1: an OwnBlock, freed on its own; 0: carved from a large block
};
constexpr std::size_t alignment = alignof(std::max_align_t);
static_assert(sizeof(Header) % alignment == 0);
constexpr std::size_t header_bytes = sizeof(Header);
constexpr std::size_t first_block_bytes = 128 * 1024;  // a 3 KB page takes 25 to 80 KB
constexpr std::size_t largest_block_bytes = 1024 * 1024;

std::size_t rounded(std::size_t size) { return (size + alignment - 1) / alignment * alignment; }

Header& header_of(void* block) { return *reinterpret_cast<Header*>(static_cast<char*>(block) - header_bytes); }

thread_local CmarkArena* in_use = nullptr;

// cmark cannot go on without memory, and cannot be thrown through: like cmark's own
// allocator, stop.
[[noreturn]] void out_of_memory() {
    std::fputs("cypp: out of memory while parsing Markdown\n", stderr);
    std::abort();
}

CmarkArena& current() {
    // Only a call into cmark outside an ArenaInUse gets here without one: a bug in cypp.
    if (!in_use) {
        std::fputs("cypp: cmark allocated with no arena in use\n", stderr);
        std::abort();
    }
    return *in_use;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
const std::size_t CmarkArena::budget_bytes = 0;
#else
const std::size_t CmarkArena::budget_bytes = 8 * 1024 * 1024;
#endif

// An allocation with a block of its own: the links of the arena's list, then the header.
struct CmarkArena::OwnBlock {
    OwnBlock* previous;
    OwnBlock* next;
};

struct ArenaCalls {
    static void* calloc(std::size_t count, std::size_t size) {
        // Not count > SIZE_MAX / size: a division on every node of every page costs more
        // than the rest of the allocation.
        std::size_t bytes;
        if (__builtin_mul_overflow(count, size, &bytes)) out_of_memory();
        void* block = current().allocate(bytes);
        std::memset(block, 0, bytes);
        return block;
    }
    static void* realloc(void* block, std::size_t size) { return current().reallocate(block, size); }
    // A block carved from a large one goes with the arena.
    static void free(void* block) {
        if (block && header_of(block).own) current().release(block);
    }
};

cmark_mem* CmarkArena::allocator() {
    static cmark_mem calls = {ArenaCalls::calloc, ArenaCalls::realloc, ArenaCalls::free};
    return &calls;
}

CmarkArena::~CmarkArena() {
    while (own_) {
        OwnBlock* next = own_->next;
        std::free(own_);
        own_ = next;
    }
}

std::size_t CmarkArena::own_blocks() const {
    std::size_t count = 0;
    for (const OwnBlock* block = own_; block; block = block->next) ++count;
    return count;
}

void* CmarkArena::allocate(std::size_t size) {
    // The way nearly every allocation takes: kept free of the rest, which it calls.
    const std::size_t needed = header_bytes + rounded(size);
    if (size <= SIZE_MAX / 2 && static_cast<std::size_t>(end_ - free_) >= needed) [[likely]] {
        char* start = free_ + header_bytes;
        free_ += needed;
        header_of(start) = {size, 0};
        last_ = start;
        return start;
    }
    return allocate_in_new_block(size);
}

[[gnu::noinline]] void* CmarkArena::allocate_in_new_block(std::size_t size) {
    if (size > SIZE_MAX / 2) out_of_memory();
    const std::size_t needed = header_bytes + rounded(size);
    const std::size_t next = blocks_.empty() ? first_block_bytes : std::min(block_size_ * 2, largest_block_bytes);
    const std::size_t bytes = std::max(next, needed);
    if (reserved_ + bytes > budget_bytes) return allocate_own(size);
    char* block = new (std::nothrow) char[bytes];
    if (!block) out_of_memory();
    blocks_.emplace_back(block);
    block_size_ = bytes;
    free_ = block;
    end_ = block + bytes;
    reserved_ += bytes;
    return allocate(size);
}

void* CmarkArena::allocate_own(std::size_t size) {
    static_assert(sizeof(OwnBlock) % alignment == 0);
    void* memory = std::malloc(sizeof(OwnBlock) + header_bytes + std::max<std::size_t>(size, 1));
    if (!memory) out_of_memory();
    auto* block = static_cast<OwnBlock*>(memory);
    *block = {nullptr, own_};
    if (own_) own_->previous = block;
    own_ = block;
    char* start = static_cast<char*>(memory) + sizeof(OwnBlock) + header_bytes;
    header_of(start) = {size, 1};
    return start;
}

void CmarkArena::release(void* block) {
    auto* own = reinterpret_cast<OwnBlock*>(static_cast<char*>(block) - header_bytes - sizeof(OwnBlock));
    if (own->previous) own->previous->next = own->next;
    else own_ = own->next;
    if (own->next) own->next->previous = own->previous;
    std::free(own);
}

void* CmarkArena::reallocate(void* block, std::size_t size) {
    if (!block) return allocate(size);
    const Header header = header_of(block);
    // A growing buffer is usually the last thing allocated: it grows where it is.
    if (block == last_ && size <= SIZE_MAX / 2 && static_cast<std::size_t>(end_ - static_cast<char*>(block)) >= rounded(size)) {
        free_ = static_cast<char*>(block) + rounded(size);
        header_of(block).size = size;
        return block;
    }
    void* moved = allocate(size);
    std::memcpy(moved, block, std::min(header.size, size));
    if (header.own) release(block);
    return moved;
}

ArenaInUse::ArenaInUse(CmarkArena& arena) : previous_(in_use) { in_use = &arena; }

ArenaInUse::~ArenaInUse() { in_use = previous_; }

}  // namespace cypp::markdown
