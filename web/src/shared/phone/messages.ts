/** Strings of the phone components both Vant faces use (report, m); each face merges them in. */
export const phoneMessages = {
  'zh-CN': {
    category: {
      label: '问题类别',
      placeholder: '请选择问题类别',
      search: '搜索类别名称或编码',
      byClass: '按大类选择',
      noMatch: '没有匹配的类别',
      loadFailed: '类别加载失败',
    },
    place: {
      label: '问题位置',
      useMine: '使用我的位置',
      locating: '正在定位…',
      denied: '无法获取位置，请在地图上点选问题位置。',
      tapToPin: '在地图上点选问题位置',
      outside: '该位置不在本市网格范围内，请重新选择。',
      in: '所在：{where}',
      map: '城市地图，点选以放置位置标记',
    },
    photos: { label: '现场照片', hint: '最多 {n} 张，可预览', uploadFailed: '照片 {name} 上传失败：{message}' },
  },
  en: {
    category: {
      label: 'Category',
      placeholder: 'Choose a category',
      search: 'Search by name or code',
      byClass: 'Choose by class',
      noMatch: 'No matching category',
      loadFailed: 'Could not load the categories',
    },
    place: {
      label: 'Location',
      useMine: 'Use my position',
      locating: 'Locating…',
      denied: 'Your position is not available; tap the map to place the pin.',
      tapToPin: 'Tap the map to place the pin',
      outside: 'That point is outside the city’s grids; please choose another.',
      in: 'In: {where}',
      map: 'City map; tap to place the pin',
    },
    photos: { label: 'Photos', hint: 'Up to {n}, with preview', uploadFailed: 'Photo {name} failed to upload: {message}' },
  },
};
