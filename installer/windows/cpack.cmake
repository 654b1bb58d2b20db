# Windows installer (NSIS through CPack). Written, not tried: no Windows build
# exists yet (installer/windows/README.md). Included by installer/CMakeLists.txt.
set_target_properties(facet PROPERTIES WIN32_EXECUTABLE ON)  # no console window for the app

# Qt's DLLs, plugins (platforms, sqldrivers, tls, imageformats) and the QML
# modules that app/qml and Qt's dialogs import, beside facet.exe in CPack's
# staging folder; windeployqt also copies the MSVC runtime. vulkan-1.dll is
# not bundled: GPU drivers install the loader, and volk loads it at run time.
find_program(FACET_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" REQUIRED)
set(FACET_QML_DIR ${PROJECT_SOURCE_DIR}/app/qml)
configure_file(${CMAKE_CURRENT_LIST_DIR}/deploy.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/windows-deploy.cmake @ONLY)
install(SCRIPT ${CMAKE_CURRENT_BINARY_DIR}/windows-deploy.cmake COMPONENT facet)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/THIRD_PARTY_NOTICES.md DESTINATION . COMPONENT facet)

set(CPACK_GENERATOR NSIS)
set(CPACK_PACKAGE_FILE_NAME facet-${PROJECT_VERSION}-windows-x64)
set(CPACK_PACKAGE_EXECUTABLES facet Facet)  # the Start menu entry
set(CPACK_NSIS_PACKAGE_NAME Facet)
set(CPACK_NSIS_DISPLAY_NAME Facet)
set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\facet.exe)
set(CPACK_NSIS_URL_INFO_ABOUT ${FACET_HOMEPAGE})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# The uninstaller removes the program only: chats and models in %APPDATA%\Facet stay.
