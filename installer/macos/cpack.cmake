# macOS app bundle and disk image (CPack DragNDrop). Written, not tried: the
# engine needs the MoltenVK changes in installer/macos/README.md first.
# Included by installer/CMakeLists.txt.
set_target_properties(facet PROPERTIES
    MACOSX_BUNDLE ON
    OUTPUT_NAME Facet
    MACOSX_BUNDLE_BUNDLE_NAME Facet
    MACOSX_BUNDLE_GUI_IDENTIFIER ${FACET_APP_ID}
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION})

# The LunarG SDK's macOS folder (VULKAN_SDK, as its setup-env.sh sets it):
# the loader and MoltenVK go inside the bundle with MoltenVK's ICD manifest.
set(FACET_VULKAN_SDK "$ENV{VULKAN_SDK}" CACHE PATH "Vulkan SDK folder with lib/libvulkan.1.dylib and lib/libMoltenVK.dylib")
foreach(f lib/libvulkan.1.dylib lib/libMoltenVK.dylib share/vulkan/icd.d/MoltenVK_icd.json)
    if(NOT EXISTS ${FACET_VULKAN_SDK}/${f})
        message(FATAL_ERROR "macOS package: ${FACET_VULKAN_SDK}/${f} is missing (set VULKAN_SDK)")
    endif()
endforeach()
# A Developer ID: macdeployqt signs the bundle with the hardened runtime and a
# time stamp (needed for notarization); empty: unsigned.
set(FACET_CODESIGN_IDENTITY "" CACHE STRING "codesign identity for Facet.app (empty: unsigned)")
find_program(FACET_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" REQUIRED)
set(FACET_QML_DIR ${PROJECT_SOURCE_DIR}/app/qml)
configure_file(${CMAKE_CURRENT_LIST_DIR}/deploy.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/macos-deploy.cmake @ONLY)
install(SCRIPT ${CMAKE_CURRENT_BINARY_DIR}/macos-deploy.cmake COMPONENT facet)

set(CPACK_GENERATOR DragNDrop)
set(CPACK_PACKAGE_FILE_NAME Facet-${PROJECT_VERSION})
set(CPACK_DMG_VOLUME_NAME Facet)
