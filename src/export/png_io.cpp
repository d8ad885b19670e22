// PNG reading/writing with libpng. libpng reports errors by calling an error function that must
// not return; we longjmp back out of it. To keep that well-defined in C++, each setjmp lives in a
// function whose own frame holds no objects with destructors: everything that owns memory is
// created by the caller and passed in by pointer, so a longjmp skips no destructor.
#include "png_io.h"

#include <fcntl.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/file_io.h"
#include "core/png_text.h"

namespace initscope {
namespace {

// Filled by the error callback before it longjmps back to the setjmp point.
struct PngError {
  char message[256] = {};
};

void on_png_error(png_structp png, png_const_charp msg) {
  auto* err = static_cast<PngError*>(png_get_error_ptr(png));
  std::snprintf(err->message, sizeof err->message, "%s", msg);
  png_longjmp(png, 1);
}
void on_png_warning(png_structp, png_const_charp) {}  // e.g. "iCCP: known incorrect sRGB profile"

// ---- writing -------------------------------------------------------------------------------

// Encodes `img` to the open file; returns false with err->message set on a libpng error.
bool encode_png(FILE* file, const Image& img, const std::string& experiment_json, png_bytep* rows,
                PngError* err) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, err, on_png_error, on_png_warning);
  if (!png) {
    std::snprintf(err->message, sizeof err->message, "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    if (!info) std::snprintf(err->message, sizeof err->message, "out of memory");
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_init_io(png, file);
  // Figures are large flat areas: unfiltered rows at zlib level 3 are ~3x faster to encode than
  // libpng's adaptive filters and even smaller (compare preset, 1600x1000: 41 ms / 226 KB vs
  // 149 ms / 256 KB on a loaded 2-core machine).
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level(png, 3);
  png_set_IHDR(png, info, static_cast<png_uint_32>(img.width), static_cast<png_uint_32>(img.height),
               8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_text text{};
  if (!experiment_json.empty()) {
    // Uncompressed iTXt: UTF-8, and readable with `strings fig.png` or any metadata viewer.
    text.compression = PNG_ITXT_COMPRESSION_NONE;
    text.key = const_cast<png_charp>(kPngExperimentKey);
    text.text = const_cast<png_charp>(experiment_json.c_str());
    text.itxt_length = experiment_json.size();
    text.lang = const_cast<png_charp>("");
    text.lang_key = const_cast<png_charp>("");
    png_set_text(png, info, &text, 1);  // written before the image data
  }
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

std::string errno_text() {
  return std::strerror(errno);
}

// ---- reading -------------------------------------------------------------------------------

struct MemoryReader {
  const std::string* bytes;
  size_t pos;
};

void read_from_memory(png_structp png, png_bytep out, png_size_t n) {
  auto* r = static_cast<MemoryReader*>(png_get_io_ptr(png));
  if (r->bytes->size() - r->pos < n) png_error(png, "file is truncated");
  std::memcpy(out, r->bytes->data() + r->pos, n);
  r->pos += n;
}

// Decodes any PNG (palette, grey, 16-bit, with or without alpha) to 8-bit RGBA. `img` and
// `rows` are owned by the caller (see the top of the file). Returns false with err->message set
// on a libpng error. (--config reads only the text chunks: core/png_text.h.)
bool decode_png(const std::string* bytes, Image* img, std::vector<png_bytep>* rows, PngError* err) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, err, on_png_error, on_png_warning);
  if (!png) {
    std::snprintf(err->message, sizeof err->message, "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  png_infop end_info = info ? png_create_info_struct(png) : nullptr;
  if (!end_info || setjmp(png_jmpbuf(png))) {
    if (!end_info) std::snprintf(err->message, sizeof err->message, "out of memory");
    png_destroy_read_struct(&png, info ? &info : nullptr, end_info ? &end_info : nullptr);
    return false;
  }
  MemoryReader reader{bytes, 0};
  png_set_read_fn(png, &reader, read_from_memory);
  // A figure is at most 8192² but accept any sane PNG; refuse absurd headers before allocating.
  png_set_user_limits(png, 1 << 15, 1 << 15);
  png_read_info(png, info);

  png_uint_32 width = 0, height = 0;
  int depth = 0, color = 0;
  png_get_IHDR(png, info, &width, &height, &depth, &color, nullptr, nullptr, nullptr);
  png_set_expand(png);  // palette → RGB, grey < 8 bit → 8 bit, tRNS → alpha
  png_set_strip_16(png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  if (!(color & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != size_t{width} * 4) png_error(png, "unsupported pixel format");

  img->width = static_cast<int>(width);
  img->height = static_cast<int>(height);
  img->rgba.resize(size_t{width} * height * 4);
  rows->resize(height);
  for (png_uint_32 y = 0; y < height; ++y) (*rows)[y] = img->rgba.data() + size_t{y} * width * 4;
  png_read_image(png, rows->data());
  png_read_end(png, end_info);
  png_destroy_read_struct(&png, &info, &end_info);
  return true;
}

Image decode_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuntimeError("cannot read '" + path + "': " + errno_text());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw RuntimeError("cannot read '" + path + "': " + errno_text());
  if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) != 0)
    throw RuntimeError("'" + path + "' is not a PNG file");

  Image image;
  std::vector<png_bytep> rows;
  PngError err;
  if (!decode_png(&bytes, &image, &rows, &err))
    throw RuntimeError("'" + path + "' is a corrupt PNG (" + std::string(err.message) + ")");
  return image;
}

}  // namespace

void write_png(const std::string& path, const Image& img, const std::string& experiment_json,
               bool force) {
  if (img.width <= 0 || img.height <= 0 ||
      img.rgba.size() != size_t(img.width) * size_t(img.height) * 4)
    throw RuntimeError("cannot write '" + path + "': image has no pixels or the wrong size");
  check_writable(path, force);

  const TempFile tmp = create_temp_file(path);
  const int fd = tmp.fd;
  // mkstemp makes the file 0600; a figure gets the usual permissions (0666 minus umask).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  FILE* file = ::fdopen(fd, "wb");
  if (!file) {
    ::close(fd);
    discard_temp_file(tmp.path);
    throw RuntimeError("cannot write '" + path + "': " + errno_text());
  }

  std::vector<png_bytep> rows(img.height);
  for (int y = 0; y < img.height; ++y)
    rows[y] = const_cast<png_bytep>(img.rgba.data() + size_t(y) * img.width * 4);
  PngError err;
  bool encoded = encode_png(file, img, experiment_json, rows.data(), &err);
  // fflush + fsync before rename: after a crash the target is the old file or the whole new one.
  bool flushed = encoded && std::fflush(file) == 0 && ::fsync(fd) == 0;
  int saved = errno;
  bool closed = std::fclose(file) == 0;
  if (!encoded || !flushed || !closed) {
    discard_temp_file(tmp.path);
    errno = saved;
    throw RuntimeError("cannot write '" + path + "': " + (encoded ? errno_text() : err.message));
  }
  commit_temp_file(tmp.path, path, force);
}

Image read_png(const std::string& path) {
  return decode_file(path);
}

}  // namespace initscope
