# The Debian package: cpack -G DEB in the build folder (installer/build-deb.sh).
# Included by installer/CMakeLists.txt after the settings common to all systems.
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # facet_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${FACET_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${FACET_HOMEPAGE})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The first line is the synopsis, the rest the long description (one space
# of indent per line is added by CPack).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "chat with Gemma 4 models on your own computer
Facet is a desktop chat application for Google's Gemma 4 models (E2B, E4B,
26B-A4B, 31B) with its own inference engine on Vulkan (any GPU with a Vulkan
driver) or the CPU. It downloads GGUF models from Hugging Face, keeps
conversations in a local database, answers from your documents with
citations, reads pictures, and can serve the loaded model through an
OpenAI-compatible API. Nothing leaves the computer unless you ask.
.
The package also holds facet-cli, the engine on the command line.")
# Libraries the binaries link: computed by dpkg-shlibdeps (dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What dpkg-shlibdeps cannot see, because it is loaded at run time:
# - libvulkan1: volk dlopen()s libvulkan.so.1 (without it only the CPU runs);
# - libqt6sql6-sqlite: Qt's SQLite driver plugin (the chats database);
# - libqt6svg6: Qt's SVG image plugin (the interface's icons);
# - the QML modules Facet's QML imports and those Qt's own QML under them
#   imports (FileDialog's non-native implementation needs
#   Qt.labs.folderlistmodel). installer/linux/deb/check-qml-depends.sh
#   computes this list with qmlimportscanner and fails the build when one is missing.
set(facet_depends
    libvulkan1
    libqt6sql6-sqlite
    libqt6svg6
    qml6-module-qtqml
    qml6-module-qtqml-workerscript
    qml6-module-qtquick
    qml6-module-qtquick-controls
    qml6-module-qtquick-dialogs
    qml6-module-qtquick-layouts
    qml6-module-qtquick-pdf
    qml6-module-qtquick-shapes
    qml6-module-qtquick-templates
    qml6-module-qtquick-window
    qml6-module-qt-labs-folderlistmodel)
list(JOIN facet_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# Recommended: a Vulkan driver (Mesa's, or any other ICD: NVIDIA's provides
# vulkan-icd too; without one Facet runs on the CPU), WebP and TIFF pictures,
# Qt's Wayland platform (without it Qt uses X11 through XWayland), and Qt's
# own translations (LGPL like Qt; dialog buttons and text menus in German or
# French: AppTranslator loads qt_<lang>.qm when they are there).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "mesa-vulkan-drivers | vulkan-icd, qt6-image-formats-plugins, qt6-wayland, qt6-translations-l10n")
# The API keys of remote servers go to the system keyring when one runs.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring | kwalletmanager")
